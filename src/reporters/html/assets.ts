/** The inline stylesheet and script of the HTML report (no external resource of any kind). */

export const HTML_STYLE = `
:root { --critical: #8b0000; --high: #d9480f; --medium: #e8a200; --low: #2f7ebc; --info: #6c757d; --ink: #1d232a; --line: #d8dde3; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 1.5rem; }
h1 { margin: 0 0 .25rem; font-size: 1.7rem; } h2 { border-bottom: 2px solid var(--line); padding-bottom: .25rem; margin-top: 2rem; }
h4 { margin: .8rem 0 .2rem; font-size: .95rem; }
.meta { color: #555; margin: 0; } .scope { color: #333; }
.counts { list-style: none; display: flex; gap: .6rem; padding: 0; flex-wrap: wrap; }
.counts li { border-left: 6px solid var(--info); background: #f6f7f9; padding: .4rem .8rem; border-radius: 4px; }
.counts li strong { font-size: 1.3rem; margin-right: .25rem; }
.counts .sev-critical { border-color: var(--critical); } .counts .sev-high { border-color: var(--high); }
.counts .sev-medium { border-color: var(--medium); } .counts .sev-low { border-color: var(--low); }
.diagram { overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; background: #fff; max-height: 80vh; }
.diagram svg { max-width: 100%; height: auto; cursor: zoom-in; }
.diagram.actual-size { max-height: none; }
.diagram.actual-size svg { max-width: none; cursor: zoom-out; }
.filters { display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; background: #f6f7f9; padding: .6rem .8rem; border-radius: 6px; margin-bottom: .8rem; }
.filters fieldset { border: 0; margin: 0; padding: 0; } .filters legend { float: left; margin-right: .5rem; font-weight: 600; }
.finding { border: 1px solid var(--line); border-left: 6px solid var(--info); border-radius: 6px; margin: .4rem 0; background: #fff; }
.finding.sev-critical { border-left-color: var(--critical); } .finding.sev-high { border-left-color: var(--high); }
.finding.sev-medium { border-left-color: var(--medium); } .finding.sev-low { border-left-color: var(--low); }
.finding summary { cursor: pointer; padding: .5rem .7rem; list-style-position: inside; }
.finding[open] summary { border-bottom: 1px solid var(--line); }
.detail { padding: .3rem 1rem .8rem; }
.badge { display: inline-block; min-width: 4.6rem; text-align: center; color: #fff; border-radius: 3px; font-size: .8rem; font-weight: 700; text-transform: uppercase; background: var(--info); }
.badge.sev-critical { background: var(--critical); } .badge.sev-high { background: var(--high); }
.badge.sev-medium { background: var(--medium); color: #1d232a; } .badge.sev-low { background: var(--low); }
.rule { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; color: #444; }
.conf, .status { font-size: .75rem; border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; color: #555; }
.conf-assumed { border-style: dashed; }
dl.facts, dl.compliance { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .4rem 0; }
dt { font-weight: 600; } dd { margin: 0; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85em; background: #f1f3f5; padding: 0 .25rem; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
.loc { color: #666; font-size: .85rem; }
[hidden] { display: none !important; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .filters { display: none; }
  .diagram { max-height: none; overflow: visible; border: 0; }
  .finding { break-inside: avoid; page-break-inside: avoid; }
  .finding summary { list-style: none; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

export const HTML_SCRIPT = `
(function () {
  var form = document.getElementById('filters');
  var items = Array.prototype.slice.call(document.querySelectorAll('#finding-list .finding'));
  var shown = document.getElementById('shown');
  function apply() {
    var sev = Array.prototype.slice.call(form.querySelectorAll('input[name=severity]:checked')).map(function (i) { return i.value; });
    var stride = form.elements.stride.value;
    var comp = form.elements.component.value;
    var n = 0;
    items.forEach(function (el) {
      var ok = sev.indexOf(el.dataset.severity) >= 0 &&
        (!stride || el.dataset.stride.split(' ').indexOf(stride) >= 0) &&
        (!comp || el.dataset.components.split(' ').indexOf(comp) >= 0);
      el.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = String(n);
  }
  if (form) { form.addEventListener('change', apply); apply(); }
  var diagram = document.querySelector('.diagram');
  if (diagram) diagram.addEventListener('click', function () { diagram.classList.toggle('actual-size'); });
  if (location.hash && location.hash.indexOf('#f-') === 0) {
    var target = document.getElementById(location.hash.slice(1));
    if (target) target.open = true;
  }
  var opened = [];
  window.addEventListener('beforeprint', function () {
    items.forEach(function (el) { if (!el.open) { el.open = true; opened.push(el); } });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (el) { el.open = false; });
    opened = [];
  });
})();
`;
