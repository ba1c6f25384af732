// The reading mode of the default theme: larger text, more line spacing, high contrast.
//
// Loaded without `defer` from <head>, so the mode a reader chose is on <html> before the
// first paint and the page never flashes from one look to the other. The switch itself is
// a <button hidden> in the header (labelled from the theme's i18n files); the stylesheet
// shows it only under `html.sp-js`, which this script sets, so without JavaScript there is
// no control that does nothing. All the looks are in style.css under `.sp-reading`.
(function () {
  'use strict';
  var KEY = 'sp-reading';
  var root = document.documentElement;

  // Storage can be turned off or full; the mode then lasts for this page only.
  function stored() {
    try {
      return window.localStorage.getItem(KEY) === 'on';
    } catch (e) {
      return false;
    }
  }

  function store(on) {
    try {
      if (on) window.localStorage.setItem(KEY, 'on');
      else window.localStorage.removeItem(KEY);
    } catch (e) {
      /* not remembered, still applied */
    }
  }

  function apply(on) {
    root.classList.toggle('sp-reading', on);
    var buttons = document.querySelectorAll('.sp-reading-toggle');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute('aria-pressed', on ? 'true' : 'false');
    }
  }

  root.classList.add('sp-js');
  apply(stored());

  function wire() {
    var buttons = document.querySelectorAll('.sp-reading-toggle');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener('click', function () {
        var on = !root.classList.contains('sp-reading');
        apply(on);
        store(on);
      });
    }
    apply(root.classList.contains('sp-reading'));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire);
  else wire();

  // Another tab of the same site switched the mode: follow it.
  window.addEventListener('storage', function (event) {
    if (event.key === KEY) apply(event.newValue === 'on');
  });
})();
