/* Signpost search. Reads ?q=, loads the index named by data-index and lists the hits.
   The tokenizer and ranking mirror src/search.rs (its module docs describe both); keep them in step.
   No dependencies, no build step. Node can require() the core for tests. */
(function () {
  'use strict';
  var SNIPPET = 160, LEAD = 40, SNAP = 15, MAX_WORD = 30, PREFIX_MIN = 3, CAP = 8, DOC = 6, TITLE = 8, HEADING = 4;
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

  // Query terms; mode x: exact key, p: prefix (last word), c: one CJK character.
  function queryTerms(q) {
    const terms = [];
    for (const tok of analyze(q)) {
      if (!isTerm(tok) || terms.some(function (x) { return x.t === tok.t; })) continue;
      terms.push({ t: tok.t, mode: tok.cjk && len(tok.t) === 1 ? 'c' : 'x' });
    }
    const last = terms[terms.length - 1];
    if (last && last.mode === 'x' && !isCjk(last.t) && len(last.t) >= PREFIX_MIN) last.mode = 'p';
    return terms;
  }
  function weight(term, key) {
    if (key === term.t) return 2;
    if (term.mode === 'p') return key.startsWith(term.t) ? 1 : 0;
    if (term.mode === 'c') return len(key) === 2 && key.includes(term.t) ? 2 : 0;
    return 0;
  }
  function matches(toks, term) { return toks.some(function (t) { return weight(term, t.t) > 0; }); }

  // Hits best first: [{url, title, heading, snippet}]; index is the parsed JSON.
  function search(index, q, limit) {
    const terms = queryTerms(q), n = index.docs.length, freq = [], inTitle = [];
    if (!terms.length) return [];
    if (!index._titles) { index._titles = index.pages.map(function (p) { return analyze(p[1]); }); index._heads = []; }
    for (const term of terms) {
      const f = new Array(n).fill(0);
      const add = function (list, w) { // postings: base-32 varints, digits >= 32 continue a number
        let d = 0, acc = 0, mul = 1;
        for (let i = 0; i < list.length; i++) {
          const x = DIGITS.indexOf(list[i]);
          if (x < 0) continue;
          if (x >= 32) { acc += (x - 32) * mul; mul *= 32; continue; }
          const v = acc + x * mul;
          acc = 0; mul = 1; d += Math.floor(v / 4);
          if (d < n) f[d] += w * ((v % 4) + 1);
        }
      };
      if (term.mode === 'x') {
        if (Object.prototype.hasOwnProperty.call(index.terms, term.t)) add(index.terms[term.t], 2);
      } else {
        for (const key of Object.keys(index.terms)) { const w = weight(term, key); if (w) add(index.terms[key], w); }
      }
      freq.push(f);
      inTitle.push(index._titles.map(function (toks) { return matches(toks, term); }));
    }
    const best = new Map();
    docs: for (let d = 0; d < n; d++) {
      const doc = index.docs[d];
      let score = 0;
      for (let i = 0; i < terms.length; i++) {
        const title = !!inTitle[i][doc[0]];
        if (!freq[i][d] && !title) continue docs;
        const m = Math.min(freq[i][d], CAP);
        score += m + (m ? DOC : 0) + (title ? TITLE : 0);
      }
      if (doc[2]) {
        const h = index._heads[d] || (index._heads[d] = analyze(doc[2]));
        score += HEADING * terms.filter(function (t) { return matches(h, t); }).length;
      }
      const b = best.get(doc[0]);
      if (!b || score > b[0]) best.set(doc[0], [score, d]);
    }
    return Array.from(best.values()).sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; })
      .slice(0, limit).map(function (sd) {
        const doc = index.docs[sd[1]], page = index.pages[doc[0]];
        return { url: doc[1] ? page[0] + '#' + doc[1] : page[0], title: page[1], heading: doc[2] || null,
          snippet: snippet(doc[3], terms) };
      });
  }

  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // Escaped excerpt window with matches in <mark>.
  function snippet(text, terms) {
    const chars = Array.from(text), n = chars.length, marks = [], merged = [];
    for (const tok of analyze(text)) {
      for (const term of terms) {
        if (term.mode === 'c') {
          if (tok.cjk) Array.from(tok.t).forEach(function (c, k) { if (c === term.t) marks.push([tok.o[k], tok.o[k] + 1]); });
        } else if (weight(term, tok.t)) marks.push([tok.s, tok.e]);
      }
    }
    marks.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    for (const m of marks) {
      const last = merged[merged.length - 1];
      if (last && m[0] <= last[1]) last[1] = Math.max(last[1], m[1]); else merged.push([m[0], m[1]]);
    }
    let start = 0, end = n;
    if (n > SNIPPET) {
      const first = merged.length ? merged[0][0] : 0;
      start = Math.min(Math.max(first - LEAD, 0), n - SNIPPET);
      if (start > 0) {
        for (let p = start; p < Math.min(start + SNAP, first); p++) if (chars[p] === ' ') { start = p + 1; break; }
      }
      end = Math.min(start + SNIPPET, n);
      if (end < n) {
        for (let p = end - 1; p >= end - SNAP; p--) if (chars[p] === ' ' && p > first) { end = p; break; }
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

  const api = { tokenize: tokenize, search: search };
  if (typeof module !== 'undefined' && module.exports) { module.exports = api; return; }

  // ---- Browser ----
  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      const s = document.createElement('script');
      s.src = url;
      s.onload = function () { window.signpostSearchIndex ? resolve(window.signpostSearchIndex) : reject(); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function init() {
    const root = document.querySelector('.sp-search[data-index]');
    if (!root) return;
    const input = root.querySelector('input[name="q"]'), status = root.querySelector('.sp-search-status');
    const list = root.querySelector('.sp-search-list'), fallback = root.querySelector('.sp-search-fallback');
    const q = (new URLSearchParams(location.search).get('q') || '').trim();
    if (!q || !status || !list) return;
    if (input) input.value = q;
    const msg = function (name, count) {
      return (root.getAttribute('data-msg-' + name) || '').replace('{count}', String(count))
        .replace('{query}', function () { return q; });
    };
    status.textContent = msg('loading', 0);
    // Over file:// browsers refuse fetch(); the same index wrapped in a script still loads.
    const script = location.protocol === 'file:' && root.getAttribute('data-index-script');
    const base = new URL(script || root.getAttribute('data-index'), document.baseURI).href;
    const load = script ? loadScript(base)
      : fetch(base).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
    load.then(function (index) {
      const hits = search(index, q, 50);
      status.textContent = msg(hits.length === 0 ? 'none' : hits.length === 1 ? 'one' : 'many', hits.length);
      list.textContent = '';
      for (const hit of hits) {
        const li = document.createElement('li'), a = document.createElement('a'), p = document.createElement('p');
        li.className = 'sp-search-result';
        a.href = new URL(hit.url, base).href; // index URLs are relative to the index file
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
    }).catch(function () {
      status.textContent = '';
      if (fallback) fallback.hidden = false;
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
