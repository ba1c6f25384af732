/* Signpost search. Reads ?q= (and the filters and page), loads the index manifest named by
   data-manifest, then only the shards, vocabulary buckets, page tables and document chunks the
   query needs, and lists the hits. Every index file is a script calling signpostSearch(name,
   data), so the index loads from file:// as well as over HTTP. The tokenizer, ranking and file
   formats mirror src/search/ (its module docs describe them); keep them in step.
   No dependencies, no build step (a build publishes it without comments and indentation).
   Node can require() the core for tests. */
(function () {
  'use strict';
  var SNIPPET = 160, LEAD = 40, SNAP = 15, MAX_WORD = 30, PREFIX_MIN = 3, CAP = 8, DOC = 6, TITLE = 8, HEADING = 4,
    META = 4, FUZZY_MIN = 4, FUZZY_TWO = 8, PER_PAGE = 10, CLOSE_MIN = 3,
    EAGER_PAGES = 2 * PER_PAGE;
  var STOP = new Set(('a an and are as at be by for from if in is it of on or that the this to was will ' +
    'with you your').split(' '));
  var SPECIAL = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'đ': 'd', 'ð': 'd', 'ł': 'l', 'þ': 'th', 'ı': 'i', 'ħ': 'h' };
  var DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var WORD;
  try { WORD = new RegExp('^[\\p{Alphabetic}\\p{N}]$', 'u'); } catch (e) { WORD = null; }
  function isWord(c) { return WORD ? WORD.test(c) : c.toLowerCase() !== c.toUpperCase() || /^[0-9]$/.test(c); }
  function isCjk(c) {
    var p = c.codePointAt(0);
    return p === 0x3005 || p === 0x3007 || (p >= 0x3040 && p <= 0x30ff) || (p >= 0x3400 && p <= 0x4dbf) ||
      (p >= 0x4e00 && p <= 0x9fff) || (p >= 0xf900 && p <= 0xfaff) || (p >= 0x20000 && p <= 0x3134f);
  }
  function isMark(c) { var p = c.codePointAt(0); return p >= 0x300 && p <= 0x36f; }
  function len(s) { return Array.from(s).length; }

  // Fold one source character: NFKC, lowercase, accent fold.
  function fold(ch, out) {
    if (ch.codePointAt(0) < 128) { out.push(ch.toLowerCase()); return; }
    for (const d of ch.normalize('NFKC')) {
      for (const e of d.toLowerCase()) {
        const p = e.codePointAt(0);
        if (isMark(e)) continue;
        if (SPECIAL[e]) out.push.apply(out, Array.from(SPECIAL[e]));
        else if ((p >= 0xc0 && p <= 0x24f) || (p >= 0x1e00 && p <= 0x1eff)) {
          for (const f of e.normalize('NFD')) if (!isMark(f)) out.push(f);
        } else out.push(e);
      }
    }
  }

  // Tokens with source ranges: {t, cjk, s, e, o: [source index of each CJK char]}.
  function analyze(text) {
    const f = [], o = [], toks = [];
    let i = 0;
    for (const ch of text) {
      const buf = [];
      fold(ch, buf);
      for (const x of buf) { f.push(x); o.push(i); }
      i++;
    }
    for (let k = 0; k < f.length;) {
      let j = k + 1;
      if (isCjk(f[k])) {
        while (j < f.length && isCjk(f[j])) j++;
        if (j - k === 1) toks.push({ t: f[k], cjk: true, s: o[k], e: o[k] + 1, o: [o[k], o[k]] });
        else for (let m = k; m < j - 1; m++) {
          toks.push({ t: f[m] + f[m + 1], cjk: true, s: o[m], e: o[m + 1] + 1, o: [o[m], o[m + 1]] });
        }
      } else if (isWord(f[k])) {
        while (j < f.length && !isCjk(f[j]) && isWord(f[j])) j++;
        toks.push({ t: f.slice(k, j).join(''), cjk: false, s: o[k], e: o[j - 1] + 1 });
      }
      k = j;
    }
    return toks;
  }
  function tokenize(text) { return analyze(text).map(function (t) { return t.t; }); }
  function isTerm(t) { return t.cjk || (len(t.t) <= MAX_WORD && !STOP.has(t.t)); }


  // Query terms [text, mode]; mode x: exact, p: prefix (last word), c: one CJK character.
  function queryTerms(q) {
    const terms = [];
    for (const tok of analyze(q)) {
      if (!isTerm(tok) || terms.some(function (x) { return x[0] === tok.t; })) continue;
      terms.push([tok.t, tok.cjk && len(tok.t) === 1 ? 'c' : 'x']);
    }
    const last = terms[terms.length - 1];
    if (last && last[1] === 'x' && !isCjk(last[0]) && len(last[0]) >= PREFIX_MIN) last[1] = 'p';
    return terms;
  }
  // Groups: each term with the terms at its place in the query written with a synonym.
  function queryGroups(q, synonyms) {
    const base = queryTerms(q);
    const groups = base.map(function (t) { return { alts: [t], keys: new Map() }; });
    for (const set of synonyms) {
      for (const m of set) {
        if (!m || !q.includes(m)) continue;
        for (const o of set) {
          if (o === m || len(o) !== len(m)) continue;
          const variant = queryTerms(q.split(m).join(o));
          if (variant.length !== base.length) continue;
          variant.forEach(function (alt, i) {
            if (!groups[i].alts.some(function (a) { return a[0] === alt[0] && a[1] === alt[1]; })) groups[i].alts.push(alt);
          });
        }
      }
    }
    return groups;
  }
  // The query, then the query with each synonym of another length written instead: each a
  // query of its own; a page matches when it matches any of them.
  function queryVariants(q, synonyms) {
    const texts = [q];
    for (const set of synonyms) {
      for (const m of set) {
        if (!m || !q.includes(m)) continue;
        for (const o of set) {
          if (!o || len(o) === len(m)) continue;
          const t = q.split(m).join(o);
          if (!texts.includes(t)) texts.push(t);
        }
      }
    }
    return texts.map(function (t) { return queryGroups(t, synonyms); });
  }
  function typoDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    const w = b.length + 1, d = new Array((a.length + 1) * w).fill(0);
    for (let i = 0; i <= a.length; i++) {
      for (let j = 0; j <= b.length; j++) {
        if (i === 0) d[j] = j;
        else if (j === 0) d[i * w] = i;
        else {
          let v = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + (a[i - 1] !== b[j - 1] ? 1 : 0));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * w + j - 2] + 1);
          d[i * w + j] = v;
        }
      }
    }
    return Math.min(d[a.length * w + b.length], max + 1);
  }
  var NUMERIC;
  try { NUMERIC = new RegExp('^\\p{N}+$', 'u'); } catch (e) { NUMERIC = /^[0-9]+$/; }
  function bucketOf(c) { return /^[a-zA-Z0-9]$/.test(c) ? c : 'u' + (c.codePointAt(0) % 64); }
  function first(s) { return Array.from(s)[0]; }
  function needsVocab(t, mode) {
    const c = first(t);
    if (c === undefined) return null;
    const wordy = !isCjk(c) && len(t) >= FUZZY_MIN && !NUMERIC.test(t);
    return mode !== 'x' || wordy ? bucketOf(c) : null;
  }
  function resolve(groups, vocab) {
    for (const g of groups) {
      for (const alt of g.alts.slice()) {
        const t = alt[0], mode = alt[1], c = first(t);
        const words = (c !== undefined && vocab.get(bucketOf(c))) || [];
        const add = function (k, w) { g.keys.set(k, Math.max(g.keys.get(k) || 0, w)); };
        if (mode === 'c') {
          add(t, 2);
          for (const w of words) if (len(w) === 2 && w.includes(t)) add(w, 2);
        } else if (mode === 'p' && words.some(function (w) { return w.startsWith(t); })) {
          for (const w of words) if (w.startsWith(t)) add(w, w === t ? 2 : 1);
        } else {
          add(t, 2);
          if (needsVocab(t, 'x') !== null && !words.includes(t)) {
            const a = Array.from(t), max = a.length >= FUZZY_TWO ? 2 : 1;
            for (const w of words) if (typoDistance(a, Array.from(w), max) <= max) add(w, 1);
          }
        }
      }
    }
  }
  function weight(g, token) { return g.keys.get(token) || 0; }
  function oneChar(g) { const a = g.alts.find(function (x) { return x[1] === 'c'; }); return a ? first(a[0]) : null; }
  function fnv1a(s) {
    let h = 0x811c9dc5;
    for (const b of new TextEncoder().encode(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    return h;
  }
  function decode(list) { // base-32 varints, digits >= 32 continue a number
    const out = [];
    let acc = 0, mul = 1;
    for (let i = 0; i < list.length; i++) {
      const x = DIGITS.indexOf(list[i]);
      if (x < 0) continue;
      if (x >= 32) { acc += (x - 32) * mul; mul *= 32; continue; }
      out.push(acc + x * mul);
      acc = 0; mul = 1;
    }
    return out;
  }

  // Run a query. load(path) resolves to a file's data (null when missing), path relative to the
  // search folder ('manifest.js', 's/<name>.js', …). opts: {section, kind, offset, limit}.
  // Resolves to {total, hits: [{url, title, heading, snippet}], manifest}.
  async function search(load, q, opts) {
    opts = opts || {};
    const manifest = await load('manifest.js');
    if (!manifest) return { total: 0, hits: [], close: false, manifest: null };
    const variants = queryVariants(q, manifest.synonyms || []);
    if (variants.every(function (g) { return !g.length; })) return { total: 0, hits: [], close: false, manifest: manifest };
    const shards = manifest.shards || [];
    const shardOf = function (key) {
      const name = shards[fnv1a(key) & (shards.length - 1)];
      return name === undefined ? Promise.resolve(null) : load('s/' + name + '.js');
    };
    const postings = async function (key) {
      const shard = await shardOf(key);
      const list = shard && Object.prototype.hasOwnProperty.call(shard, key) ? decode(shard[key]) : [];
      const out = [];
      let page = 0;
      for (let i = 0; i + 1 < list.length; i += 2) { page += list[i]; out.push([page, list[i + 1]]); }
      return out;
    };
    eager(load, manifest);
    // The shards every reading below will need (an exact or one-character term is always its
    // own key; filters), asked for now, beside the vocabulary: one round-trip less.
    for (const groups of variants) {
      for (const g of groups) for (const a of g.alts) if (a[1] !== 'p') shardOf(a[0]);
    }
    if (opts.section !== undefined && opts.section !== null) shardOf(':s' + opts.section);
    if (opts.kind) shardOf(':k' + opts.kind);
    const buckets = new Set();
    for (const groups of variants) {
      for (const g of groups) for (const a of g.alts) { const b = needsVocab(a[0], a[1]); if (b !== null) buckets.add(b); }
    }
    const vocab = new Map();
    await Promise.all(Array.from(buckets).map(async function (b) {
      const name = Object.prototype.hasOwnProperty.call(manifest.vocab, b) ? manifest.vocab[b] : null;
      if (name !== null) vocab.set(b, (await load('v/' + name + '.js')) || []);
    }));
    for (const groups of variants) resolve(groups, vocab);
    const filters = [];
    if (opts.section !== undefined && opts.section !== null) filters.push(':s' + opts.section);
    if (opts.kind) filters.push(':k' + opts.kind);
    const allowed = await Promise.all(filters.map(async function (f) {
      return new Set((await postings(f)).map(function (p) { return p[0]; }));
    }));
    // Per variant and group: per page, [weighted count (capped), flags].
    const perVariant = await Promise.all(variants.map(function (groups) {
      return Promise.all(groups.map(async function (g) {
        const pages = new Map();
        const lists = await Promise.all(Array.from(g.keys.keys()).map(postings));
        Array.from(g.keys.values()).forEach(function (w, i) {
          for (const [page, value] of lists[i]) {
            const e = pages.get(page) || [0, 0];
            e[0] += w * (value >> 3); e[1] |= value & 7;
            pages.set(page, e);
          }
        });
        for (const e of pages.values()) e[0] = Math.min(e[0], CAP);
        return pages;
      }));
    }));
    const found = rankAll(variants, perVariant, allowed);
    const ranked = found.ranked;
    const offset = opts.offset || 0, limit = opts.limit === undefined ? PER_PAGE : opts.limit;
    const tables = manifest.tables || [];
    const size = function (n) { return n > 0 ? n : 1; }, per = size(manifest.chunk), perTable = size(manifest.table);
    const hits = await Promise.all(ranked.slice(offset, offset + limit).map(async function (sp) {
      const page = sp[0], chunk = Math.floor(page / per), table = tables[Math.floor(chunk / perTable)];
      if (table === undefined) return null;
      const names = await load('p/' + table + '.js');
      const name = names && names[chunk % perTable];
      const fragments = typeof name === 'string' ? await load('d/' + name + '.js') : null;
      const fragment = fragments && fragments[page % per];
      return fragment ? hit(fragment, variants[sp[1]]) : null;
    }));
    return { total: ranked.length, hits: hits.filter(function (h) { return h; }), close: found.close, manifest: manifest };
  }

  // How many groups a close match has, for a query of n terms of which `found` match some page:
  // more than half of those, two at least; null for one or two terms (see query.rs).
  function closeNeed(n, found) { return n >= CLOSE_MIN ? Math.max(2, Math.floor(found / 2) + 1) : null; }
  // Per page that at least `need` groups match and every filter allows: [groups matched, score].
  function rank(perGroup, need, allowed) {
    const found = new Map();
    for (const pages of perGroup) {
      for (const [page, e] of pages) {
        const f = found.get(page) || [0, 0];
        const m = e[0], flags = e[1];
        f[0] += 1;
        f[1] += m + (m > 0 ? DOC : 0) + (flags & 1 ? TITLE : 0) + (flags & 2 ? HEADING : 0) + (flags & 4 ? META : 0);
        found.set(page, f);
      }
    }
    for (const [page, f] of found) {
      if (f[0] < Math.max(need, 1) || !allowed.every(function (a) { return a.has(page); })) found.delete(page);
    }
    return found;
  }
  // The pages found, best first, as [page, variant]: exact matches (every group) by score, or
  // when there are none, close ones by groups matched, then score; ties to the lower page.
  function rankAll(variants, perVariant, allowed) {
    for (const close of [false, true]) {
      const best = new Map(); // page -> [groups matched (0 when exact), score, variant]
      perVariant.forEach(function (perGroup, v) {
        const n = variants[v].length;
        const found = perGroup.filter(function (pages) { return pages.size > 0; }).length;
        const need = close ? closeNeed(n, found) : n;
        if (n === 0 || need === null || need > found) return;
        for (const [page, f] of rank(perGroup, need, allowed)) {
          const k = close ? f[0] : 0, b = best.get(page);
          if (!b || k > b[0] || (k === b[0] && f[1] > b[1])) best.set(page, [k, f[1], v]);
        }
      });
      if (best.size === 0) continue;
      const list = [];
      for (const [page, b] of best) list.push([b[0], b[1], page, b[2]]);
      list.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1] || a[2] - b[2]; });
      return { ranked: list.map(function (x) { return [x[2], x[3]]; }), close: close };
    }
    return { ranked: [], close: false };
  }

  // A small site's page tables and document chunks are asked for at once, beside the shards:
  // a broad query lists every page of such a site anyway, and its results then come one or two
  // round-trips sooner. A larger site loads only the chunks of the results shown.
  function eager(load, manifest) {
    if (!(manifest.pages <= EAGER_PAGES)) return;
    for (const table of manifest.tables || []) {
      load('p/' + table + '.js').then(function (names) {
        for (const name of names || []) if (typeof name === 'string') load('d/' + name + '.js');
      });
    }
  }

  // A page's result: its best section and a snippet of it.
  function hit(fragment, groups) {
    const sections = (fragment.s || []).map(function (s) { return [s[0] || '', s[1] || '', s[2] || '']; });
    let best = [0, 0];
    sections.forEach(function (s, i) {
      const ht = analyze(s[1]), tt = analyze(s[2]);
      let score = 0;
      for (const g of groups) {
        const inHeading = ht.some(function (t) { return weight(g, t.t) > 0; });
        let m = 0;
        for (const t of ht) m += weight(g, t.t);
        for (const t of tt) m += weight(g, t.t);
        m = Math.min(m, CAP);
        score += m + (m > 0 ? DOC : 0) + (inHeading ? HEADING : 0);
      }
      if (score > best[0]) best = [score, i];
    });
    const s = sections[best[1]] || ['', '', ''], url = fragment.u || '';
    return { url: s[0] ? url + '#' + s[0] : url, title: fragment.t || '', heading: s[1] || null, snippet: snippet(s[2], groups) };
  }

  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // Escaped window of text with matches in <mark>.
  function snippet(text, groups) {
    const chars = Array.from(text), n = chars.length, marks = [], merged = [];
    for (const tok of analyze(text)) {
      for (const g of groups) {
        const c = oneChar(g);
        if (c !== null && tok.cjk) Array.from(tok.t).forEach(function (x, k) { if (x === c) marks.push([tok.o[k], tok.o[k] + 1]); });
        else if (weight(g, tok.t)) marks.push([tok.s, tok.e]);
      }
    }
    marks.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    for (const m of marks) {
      const last = merged[merged.length - 1];
      if (last && m[0] <= last[1]) last[1] = Math.max(last[1], m[1]); else merged.push([m[0], m[1]]);
    }
    let start = 0, end = n;
    if (n > SNIPPET) {
      const f = merged.length ? merged[0][0] : 0;
      start = Math.min(Math.max(f - LEAD, 0), n - SNIPPET);
      if (start > 0) {
        for (let p = start; p < Math.min(start + SNAP, f); p++) if (chars[p] === ' ') { start = p + 1; break; }
      }
      end = Math.min(start + SNIPPET, n);
      if (end < n) {
        for (let p = end - 1; p >= end - SNAP; p--) if (chars[p] === ' ' && p > f) { end = p; break; }
      }
    }
    let out = start > 0 ? '…' : '', pos = start;
    for (const m of merged) {
      const s = Math.max(m[0], start), e = Math.min(m[1], end);
      if (s >= e || s < pos) continue;
      out += esc(chars.slice(pos, s).join('')) + '<mark>' + esc(chars.slice(s, e).join('')) + '</mark>';
      pos = e;
    }
    return out + esc(chars.slice(pos, end).join('')) + (end < n ? '…' : '');
  }

  const api = { tokenize: tokenize, search: search, fnv1a: fnv1a };
  if (typeof module !== 'undefined' && module.exports) { module.exports = api; return; }

  // ---- Browser ----
  // Index files are scripts that call signpostSearch(name, data); each load waits for its name.
  const waiting = new Map(), loaded = new Map();
  window.signpostSearch = function (name, data) {
    const done = waiting.get(name);
    if (done) { waiting.delete(name); done(data); }
  };
  // `files`: index files the page carries (path -> data), used instead of loading them.
  function loader(base, files) {
    for (const path of Object.keys(files)) loaded.set(path, Promise.resolve(files[path]));
    return function (path) {
      if (!loaded.has(path)) {
        loaded.set(path, new Promise(function (done) {
          const name = path.replace(/\.js$/, ''), s = document.createElement('script');
          waiting.set(name, done);
          s.src = new URL(path, base).href;
          s.async = true;
          s.onerror = function () { waiting.delete(name); done(null); };
          document.head.appendChild(s);
        }));
      }
      return loaded.get(path);
    };
  }
  function init() {
    const root = document.querySelector('.sp-search[data-manifest]');
    if (!root) return;
    const form = root.querySelector('form'), input = root.querySelector('input[name="q"]');
    const status = root.querySelector('.sp-search-status'), list = root.querySelector('.sp-search-list');
    const fallback = root.querySelector('.sp-search-fallback'), pager = root.querySelector('.sp-search-pages');
    const params = new URLSearchParams(location.search);
    const q = (params.get('q') || '').trim();
    const section = params.get('section') || '', kind = params.get('kind') || '';
    const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
    if (form) {
      for (const [name, value] of [['section', section], ['kind', kind]]) {
        const select = form.querySelector('select[name="' + name + '"]');
        if (select && Array.from(select.options).some(function (o) { return o.value === value; })) select.value = value;
      }
    }
    if (!q || !status || !list) return;
    if (input) input.value = q;
    const msg = function (name, values) {
      return (root.getAttribute('data-msg-' + name) || '').replace(/\{(\w+)\}/g, function (all, key) {
        return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
      });
    };
    status.textContent = msg('loading', {});
    const base = new URL(root.getAttribute('data-manifest'), document.baseURI).href;
    const opts = { section: section === '' ? null : Number(section), kind: kind || null, offset: (page - 1) * PER_PAGE, limit: PER_PAGE };
    search(loader(base, carried(root)), q, opts).then(function (found) {
      if (!found.manifest) throw new Error('no index');
      const total = found.total;
      // Close matches say so: the reader learns that no page has every word they typed.
      const kind = total === 0 ? 'none' : found.close ? 'close' : total === 1 ? 'one' : 'many';
      status.textContent = msg(kind, { count: total, query: q });
      list.textContent = '';
      list.start = opts.offset + 1;
      for (const hit of found.hits) {
        const li = document.createElement('li'), a = document.createElement('a'), p = document.createElement('p');
        li.className = 'sp-search-result';
        a.href = new URL(hit.url, base).href; // index URLs are relative to the manifest
        a.textContent = hit.title;
        li.appendChild(a);
        if (hit.heading) {
          const h = document.createElement('span');
          h.className = 'sp-search-heading';
          h.textContent = hit.heading;
          a.appendChild(document.createTextNode(' › '));
          a.appendChild(h);
        }
        p.className = 'sp-search-snippet';
        p.innerHTML = hit.snippet; // built from escaped text and <mark> only
        li.appendChild(p);
        list.appendChild(li);
      }
      pages(pager, Math.ceil(total / PER_PAGE), page, params, msg);
    }).catch(function () {
      status.textContent = '';
      if (fallback) fallback.hidden = false;
    });
  }
  // The index files a small site's search page carries inline (its manifest and page tables),
  // saving the round-trips that would load them: `{path: data}`, empty when there are none.
  function carried(root) {
    const el = root.querySelector('script.sp-search-files');
    try { return (el && JSON.parse(el.textContent)) || {}; } catch (e) { return {}; }
  }
  // Links to the previous and next pages of results, and where this page is. The links are
  // made only when there is a page to go to: a link without a target is not one to follow.
  function pages(pager, count, page, params, msg) {
    if (!pager || count < 2) return;
    const where = pager.querySelector('.sp-search-where');
    const link = function (rel, to) {
      if (to < 1 || to > count) return;
      const a = document.createElement('a'), p = new URLSearchParams(params);
      p.set('page', String(to));
      a.href = '?' + p.toString();
      a.rel = rel;
      a.textContent = pager.getAttribute('data-' + rel) || rel;
      if (rel === 'prev') pager.insertBefore(a, pager.firstChild); else pager.appendChild(a);
    };
    link('prev', page - 1);
    link('next', page + 1);
    if (where) where.textContent = msg('page', { current: page, total: count });
    pager.hidden = false;
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
