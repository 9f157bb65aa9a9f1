// crit report: draws the swimmer plot, the patient sections and the comparison's
// differences from the JSON embedded in the page (id crit-data). Hand-written SVG: the
// page must open from a USB stick, so nothing is loaded, and data text is only ever
// set as textContent or an attribute, never parsed as HTML.
(function () {
  'use strict';

  // An error marker in the DOM: the browser test (and an auditor) can see the script failed.
  function fail(message) {
    var box = document.getElementById('crit-error');
    if (!box) return;
    box.hidden = false;
    box.setAttribute('data-error', String(message));
    box.textContent = 'The report script failed: ' + message + ' (the summary above is still right).';
  }
  window.onerror = function (message, source, line) { fail(message + ' (line ' + line + ')'); };

  var NS = 'http://www.w3.org/2000/svg';  // the SVG namespace name, not an address that is fetched
  var D, COMPARE, patients, packs, state;
  var PALETTE = ['#4e79a7', '#59a14f', '#9c755f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#bab0ac', '#f28e2b', '#e15759'];
  var PACK_COLOURS = ['#2f6fbf', '#c26d00'];
  var LABEL_W = 190;

  // ---- small helpers ---------------------------------------------------------------
  function day(s) { return Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 864e5; }
  function h(tag, attrs) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'cls') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var kid = arguments[i];
      if (kid == null) continue;
      e.appendChild(typeof kid === 'string' ? document.createTextNode(kid) : kid);
    }
    return e;
  }
  function s(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    if (parent) parent.appendChild(e);
    return e;
  }
  function tip(e, text) { s('title', { text: text }, e); return e; }
  function valueText(v) { return v === null || v === undefined ? '(none)' : String(v); }
  function fmt(x) { return Math.abs(x) >= 100 ? String(Math.round(x * 10) / 10) : String(Math.round(x * 1000) / 1000); }
  function niceStep(span, n) {
    var raw = span / n, p = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
  }
  function dayStep(span) {
    var steps = [7, 14, 30, 60, 90, 180, 365, 730];
    for (var i = 0; i < steps.length; i++) if (span / steps[i] <= 10) return steps[i];
    return 1461;
  }

  // The data: JSON in the page, or (a large cohort) gzipped JSON in base64 that the
  // browser's own DecompressionStream unpacks.
  function load() {
    var el = document.getElementById('crit-data');
    if (el.getAttribute('data-encoding') !== 'gzip+base64') return Promise.resolve(JSON.parse(el.textContent));
    var bin = atob(el.textContent.replace(/\s+/g, ''));
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    if (typeof DecompressionStream === 'undefined') return Promise.reject(new Error('this browser cannot unpack the gzipped data (no DecompressionStream); open the report in a current browser'));
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text().then(JSON.parse);
  }

  function prepare() {
    COMPARE = D.mode === 'compare';
    patients = D.patients;
    packs = D.packs;
    patients.forEach(function (p, i) {
      p.index = i;
      p.t0d = p.t0 ? day(p.t0) : 0;
      p.endd = p.as_of ? day(p.as_of) - p.t0d : 0;
      var first = 0;
      Object.keys(p.labs).forEach(function (c) {
        p.labs[c].points.forEach(function (pt) { first = Math.min(first, day(pt[0]) - p.t0d); });
      });
      p.startd = first;
      // Time on therapy: from the first episode's start to the last one's end (or the as-of date).
      var eps = p.packs[0].episodes, on = 0;
      if (eps.length) {
        var a = Infinity, b = -Infinity;
        eps.forEach(function (e) { a = Math.min(a, day(e.start)); b = Math.max(b, e.end ? day(e.end) : day(p.as_of)); });
        on = b - a;
      }
      p.onTherapy = on;
    });

    // ---- state: which pack, result, criteria; sort and filter ------------------------
    state = {
      pack: 0,
      result: packs[0].results.length ? packs[0].results[0].name : null,
      sort: 'patient',
      hidden: {},   // value -> true when filtered out
      shown: null,  // criteria drawn in lanes
      page: 0,
      selected: null
    };
  }
  function resultInfo(packIndex, name) {
    var r = packs[packIndex].results.filter(function (x) { return x.name === name; });
    return r[0] || null;
  }
  function resultOf(p, packIndex, name) {
    var r = p.packs[packIndex].results;
    return name in r ? r[name] : null;
  }
  function valueKey(p, packIndex, name) {
    var info = resultInfo(packIndex, name);
    var v = resultOf(p, packIndex, name);
    if (v === null) return '(none)';
    if (info && info.kind === 'date') return 'dated';
    return String(v);
  }
  // A value named like a criterion (CR, PR-L for PR_L) takes the criterion's colour, so a
  // lane's label and its tracks agree; other values take colours no criterion uses.
  var VALUE_PALETTE = ['#3d4a5c', '#6b4c9a', '#8c510a', '#01665e', '#762a83', '#b35806', '#2d6a4f', '#9d174d'];
  function valueColour(packIndex, name, key) {
    if (key === '(none)') return '#8c959f';
    var crit = packs[packIndex].criteria.filter(function (c) { return c.name === key.replace(/-/g, '_'); })[0];
    if (crit) return criteriaColour(packIndex, crit.name);
    var info = resultInfo(packIndex, name);
    var i = info ? info.values.indexOf(key) : -1;
    return VALUE_PALETTE[(i < 0 ? 0 : i) % VALUE_PALETTE.length];
  }
  function criteriaColour(packIndex, name) {
    var all = packs[packIndex].criteria.map(function (c) { return c.name; });
    var shown = packs[packIndex].shown;
    var i = shown.indexOf(name);
    if (i < 0) i = shown.length + all.indexOf(name);
    return PALETTE[i % PALETTE.length];
  }
  function ordered() {
    var list = patients.filter(function (p) { return !state.hidden[valueKey(p, state.pack, state.result)]; });
    var byId = function (a, b) { return a.id < b.id ? -1 : a.id > b.id ? 1 : 0; };
    if (state.sort === 'patient') list.sort(byId);
    else if (state.sort === 'result') {
      var info = resultInfo(state.pack, state.result);
      var rank = function (p) {
        var k = valueKey(p, state.pack, state.result);
        var i = info ? info.values.indexOf(k) : -1;
        return i < 0 ? 999 : i;
      };
      list.sort(function (a, b) { return rank(a) - rank(b) || byId(a, b); });
    } else list.sort(function (a, b) { return b.onTherapy - a.onTherapy || byId(a, b); });
    return list;
  }

  // ---- the swimmer plot ---------------------------------------------------------------
  var swim = {};
  function buildSwimmer(root) {
    var controls = h('div', { cls: 'controls' });
    if (COMPARE) {
      var packSel = h('select', { id: 'swim-pack' });
      packs.forEach(function (pk, i) { packSel.appendChild(h('option', { value: i, text: (i ? 'B: ' : 'A: ') + pk.label })); });
      packSel.onchange = function () { state.pack = +packSel.value; state.shown = null; state.hidden = {}; rebuildControls(); redraw(); };
      controls.appendChild(h('label', {}, 'Pack ', packSel));
    }
    var resSel = h('select', { id: 'swim-result' });
    var sortSel = h('select', { id: 'swim-sort' });
    [['patient', 'patient id'], ['result', 'result value'], ['therapy', 'time on therapy (longest first)']].forEach(function (o) {
      sortSel.appendChild(h('option', { value: o[0], text: o[1] }));
    });
    sortSel.onchange = function () { state.sort = sortSel.value; state.page = 0; redraw(); };
    resSel.onchange = function () { state.result = resSel.value; state.hidden = {}; rebuildControls(); redraw(); };
    controls.appendChild(h('label', {}, 'Result ', resSel));
    controls.appendChild(h('label', {}, 'Sort by ', sortSel));
    var filters = h('fieldset', { id: 'swim-filter' });
    controls.appendChild(filters);
    var crits = h('fieldset', { id: 'swim-criteria' });
    var count = h('span', { cls: 'count-note', id: 'swim-count' });
    root.appendChild(controls);
    var controls2 = h('div', { cls: 'controls' }, crits);
    root.appendChild(controls2);
    var legend = h('div', { cls: 'legend', id: 'swim-legend' });
    root.appendChild(legend);
    root.appendChild(count);
    var axis = s('svg', { 'class': 'swim-axis', height: 26 });
    root.appendChild(axis);
    var lanes = h('div', { cls: 'lanes', id: 'swim-lanes' });
    var spacer = h('div', {});
    lanes.appendChild(spacer);
    var svg = s('svg', { id: 'swim-svg' }, lanes);
    root.appendChild(lanes);
    lanes.addEventListener('scroll', function () { window.requestAnimationFrame(drawVisible); });
    window.addEventListener('resize', function () { redraw(); });
    swim = { resSel: resSel, filters: filters, crits: crits, count: count, axis: axis, lanes: lanes, spacer: spacer, svg: svg, legend: legend };
    rebuildControls();
  }

  function rebuildControls() {
    var pk = packs[state.pack];
    swim.resSel.textContent = '';
    pk.results.forEach(function (r) { swim.resSel.appendChild(h('option', { value: r.name, text: r.name })); });
    if (!resultInfo(state.pack, state.result) && pk.results.length) state.result = pk.results[0].name;
    swim.resSel.value = state.result;
    // Filter: one box per value the result takes in this cohort.
    swim.filters.textContent = '';
    swim.filters.appendChild(h('legend', { text: 'Show' }));
    var info = resultInfo(state.pack, state.result);
    var seen = {};
    patients.forEach(function (p) { var k = valueKey(p, state.pack, state.result); seen[k] = (seen[k] || 0) + 1; });
    var values = (info ? info.values : []).filter(function (v) { return seen[v]; });
    Object.keys(seen).forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); });
    values.forEach(function (v) {
      var box = h('input', { type: 'checkbox', 'data-value': v });
      box.checked = !state.hidden[v];
      box.onchange = function () { state.hidden[v] = !box.checked; state.page = 0; redraw(); };
      var chip = h('span', { cls: 'chip', text: v });
      chip.style.background = valueColour(state.pack, state.result, v);
      swim.filters.appendChild(h('label', {}, box, chip, ' ' + seen[v]));
    });
    // Criteria drawn: by default those a `first of` result ranks.
    if (!state.shown) state.shown = pk.shown.length ? pk.shown.slice() : pk.criteria.slice(0, 6).map(function (c) { return c.name; });
    swim.crits.textContent = '';
    swim.crits.appendChild(h('legend', { text: 'Criteria drawn' }));
    pk.criteria.forEach(function (c) {
      var box = h('input', { type: 'checkbox', 'data-criterion': c.name });
      box.checked = state.shown.indexOf(c.name) >= 0;
      box.onchange = function () {
        if (box.checked) state.shown.push(c.name);
        else state.shown = state.shown.filter(function (x) { return x !== c.name; });
        var all = pk.criteria.map(function (x) { return x.name; });
        state.shown.sort(function (a, b) { return all.indexOf(a) - all.indexOf(b); });
        redraw();
      };
      var label = h('label', { title: c.title || c.name }, box, ' ' + c.name);
      label.style.borderBottom = '3px solid ' + criteriaColour(state.pack, c.name);
      swim.crits.appendChild(label);
    });
  }

  function laneHeight() { return 16 + 6 * Math.max(1, state.shown.length) + 4; }

  function drawLegend() {
    var L = swim.legend;
    L.textContent = '';
    function item(draw, text) {
      var g = s('svg', { width: 30, height: 14 });
      draw(g);
      L.appendChild(h('span', {}, g, text));
    }
    item(function (g) { s('rect', { x: 1, y: 4, width: 28, height: 6, fill: '#57606a' }, g); }, 'treatment episode');
    item(function (g) {
      s('rect', { x: 1, y: 4, width: 20, height: 6, fill: '#57606a' }, g);
      s('path', { d: 'M21,2 L29,7 L21,12 Z', fill: '#57606a' }, g);
    }, 'continuous therapy, still running at the as-of date');
    state.shown.forEach(function (c) {
      var col = criteriaColour(state.pack, c);
      item(function (g) {
        s('rect', { x: 1, y: 4, width: 13, height: 6, fill: col }, g);
        s('rect', { x: 16, y: 4, width: 13, height: 6, fill: col, 'fill-opacity': 0.25, stroke: col, 'stroke-dasharray': '2,1' }, g);
      }, c + ' met / unknown');
    });
    item(function (g) { s('path', { d: 'M15,1 L21,7 L15,13 L9,7 Z', fill: '#b42318' }, g); }, 'PD');
    item(function (g) { s('path', { d: 'M15,1 L22,13 L8,13 Z', fill: '#e8590c' }, g); }, 'relapse');
    item(function (g) { s('line', { x1: 15, y1: 0, x2: 15, y2: 14, stroke: '#6e7781', 'stroke-dasharray': '2,2' }, g); }, 'anchor date (assessment, baseline, ...; hover for its name)');
    item(function (g) { s('line', { x1: 15, y1: 0, x2: 15, y2: 14, stroke: '#1f2328', 'stroke-width': 2 }, g); }, 'as-of date');
  }

  var view = { list: [], lo: 0, hi: 1, width: 800 };
  function redraw() {
    view.list = ordered();
    var lo = 0, hi = 30;
    view.list.forEach(function (p) { lo = Math.min(lo, p.startd); hi = Math.max(hi, p.endd); });
    view.lo = lo; view.hi = hi;
    view.width = Math.max(600, swim.lanes.clientWidth || 1000);
    var H = laneHeight();
    swim.spacer.style.height = (view.list.length * H) + 'px';
    swim.lanes.style.height = Math.min(Math.max(view.list.length * H, H), Math.max(320, Math.round(window.innerHeight * 0.7))) + 'px';
    swim.count.textContent = view.list.length + ' of ' + patients.length + ' patients shown (the plot scrolls; only the lanes in view are drawn). Click a patient for its section.';
    drawLegend();
    drawAxis();
    drawVisible();
    renderPatients();
  }
  function xOf(d) { return LABEL_W + (d - view.lo) / (view.hi - view.lo || 1) * (view.width - LABEL_W - 16); }

  function drawAxis() {
    var a = swim.axis;
    a.textContent = '';
    a.setAttribute('width', view.width);
    var step = dayStep(view.hi - view.lo);
    s('text', { x: 4, y: 12, 'font-size': 11, fill: '#59636e', text: 'days from therapy start' }, a);
    for (var d = Math.ceil(view.lo / step) * step; d <= view.hi; d += step) {
      var x = xOf(d);
      s('line', { x1: x, y1: 18, x2: x, y2: 26, stroke: '#8c959f' }, a);
      s('text', { x: x, y: 14, 'font-size': 11, 'text-anchor': 'middle', fill: d === 0 ? '#1f2328' : '#59636e', text: String(d) }, a);
    }
  }

  function drawVisible() {
    var H = laneHeight();
    var top = swim.lanes.scrollTop, height = swim.lanes.clientHeight || 600;
    var first = Math.max(0, Math.floor(top / H) - 5);
    var last = Math.min(view.list.length, Math.ceil((top + height) / H) + 5);
    var svg = swim.svg;
    svg.textContent = '';
    svg.setAttribute('width', view.width - 2);
    svg.setAttribute('height', Math.max(1, (last - first) * H));
    svg.style.top = (first * H) + 'px';
    var step = dayStep(view.hi - view.lo);
    for (var d = Math.ceil(view.lo / step) * step; d <= view.hi; d += step)
      s('line', { x1: xOf(d), y1: 0, x2: xOf(d), y2: (last - first) * H, stroke: d === 0 ? '#afb8c1' : '#eef1f4' }, svg);
    for (var i = first; i < last; i++) drawLane(svg, view.list[i], (i - first) * H, H, i);
  }

  function drawLane(svg, p, y, H, i) {
    var pk = p.packs[state.pack];
    var g = s('g', { 'class': 'lane', 'data-patient': p.id }, svg);
    if (i % 2) s('rect', { x: 0, y: y, width: view.width, height: H, fill: '#fafbfc' }, g);
    var key = valueKey(p, state.pack, state.result);
    var label = s('text', { x: 6, y: y + 13, 'font-size': 12, 'class': 'lane-label', fill: '#1f2328' }, g);
    label.textContent = p.id.length > 20 ? p.id.slice(0, 19) + '…' : p.id;
    tip(label, p.id + ': open the patient section');
    label.addEventListener('click', function () { openPatient(p.id); });
    var chip = s('text', { x: 6, y: y + H - 6, 'font-size': 10.5, fill: valueColour(state.pack, state.result, key) }, g);
    chip.textContent = state.result + ' = ' + valueText(resultOf(p, state.pack, state.result));
    var toX = function (date) { return xOf(day(date) - p.t0d); };
    // Treatment episodes on the top row; an open one runs to the as-of date and ends in an arrow.
    pk.episodes.forEach(function (e) {
      var x1 = toX(e.start), x2 = e.end ? toX(e.end) : toX(p.as_of);
      var r = s('rect', { x: x1, y: y + 4, width: Math.max(2, x2 - x1), height: 6, fill: '#57606a' }, g);
      tip(r, e['class'] + ': ' + e.start + ' to ' + (e.end || 'still running at ' + p.as_of));
      if (!e.end) s('path', { d: 'M' + x2 + ',' + (y + 1) + ' l8,6 l-8,6 Z', fill: '#57606a' }, g);
    });
    // One thin track per criterion drawn: met solid, unknown pale and dashed.
    state.shown.forEach(function (c, k) {
      var runs = pk.criteria[c] || [];
      var ty = y + 14 + k * 6, col = criteriaColour(state.pack, c);
      runs.forEach(function (r) {
        var x1 = toX(r.from), x2 = toX(r.to) + Math.max(1, xOf(1) - xOf(0));
        var met = r.state === 'met';
        var rect = s('rect', { x: x1, y: ty, width: Math.max(1.5, x2 - x1), height: 4, fill: col }, g);
        if (!met) { rect.setAttribute('fill-opacity', 0.25); rect.setAttribute('stroke', col); rect.setAttribute('stroke-width', 0.6); rect.setAttribute('stroke-dasharray', '2,1'); }
        tip(rect, c + ' ' + r.state + ' ' + r.from + ' to ' + r.to);
      });
    });
    Object.keys(pk.anchors).forEach(function (name) {
      var v = pk.anchors[name];
      if (!v) return;
      var x = toX(v);
      tip(s('line', { x1: x, y1: y + 1, x2: x, y2: y + H - 1, stroke: '#6e7781', 'stroke-dasharray': '2,2' }, g), name + ' = ' + v);
    });
    if (p.as_of) s('line', { x1: toX(p.as_of), y1: y + 2, x2: toX(p.as_of), y2: y + H - 2, stroke: '#1f2328', 'stroke-width': 2 }, g);
    // A relapse on the day of a PD is drawn beside it, not on top of it.
    var pdDays = pk.markers.filter(function (m) { return m.kind === 'PD'; }).map(function (m) { return m.date; });
    pk.markers.forEach(function (m) {
      var x = toX(m.date) + (m.kind !== 'PD' && pdDays.indexOf(m.date) >= 0 ? 13 : 0), my = y + 7;
      var d = m.kind === 'PD' ? 'M' + x + ',' + (my - 6) + ' l6,6 l-6,6 l-6,-6 Z' : 'M' + x + ',' + (my - 6) + ' l7,12 l-14,0 Z';
      tip(s('path', { d: d, fill: m.kind === 'PD' ? '#b42318' : '#e8590c', stroke: '#fff', 'stroke-width': 1 }, g), m.kind + ' ' + m.date + ' (' + m.source + ')');
    });
  }

  // ---- the patient sections -------------------------------------------------------------
  var PAGE = 20;
  var pat = {};
  function buildPatients(root, single) {
    if (!single) {
      var pager = h('div', { cls: 'pager' });
      var search = h('input', { type: 'search', placeholder: 'patient id', id: 'patient-search' });
      search.addEventListener('change', function () { if (search.value) openPatient(search.value.trim()); });
      root.appendChild(h('p', { cls: 'hint', text: 'In the order and with the filter of the swimmer plot, ' + PAGE + ' to a page. Each section: the lab series the packs read with their thresholds, the decision of each result, and the full explanation.' }));
      root.appendChild(pager);
      pat.pager = pager; pat.search = search;
    }
    pat.list = h('div', { id: 'patient-list' });
    root.appendChild(pat.list);
  }

  function renderPatients() {
    if (!pat.list) return;
    var list = view.list;
    var pages = Math.max(1, Math.ceil(list.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    pat.pager.textContent = '';
    var prev = h('button', { type: 'button', text: '‹ previous' });
    var next = h('button', { type: 'button', text: 'next ›' });
    prev.disabled = state.page === 0; next.disabled = state.page >= pages - 1;
    prev.onclick = function () { state.page--; renderPatients(); };
    next.onclick = function () { state.page++; renderPatients(); };
    pat.pager.appendChild(prev);
    pat.pager.appendChild(h('span', { text: 'page ' + (state.page + 1) + ' of ' + pages + ' (' + list.length + ' patients)' }));
    pat.pager.appendChild(next);
    pat.pager.appendChild(h('label', {}, 'Go to patient ', pat.search));
    pat.list.textContent = '';
    list.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (p) { pat.list.appendChild(section(p)); });
  }

  function openPatient(id) {
    var p = patients.filter(function (x) { return x.id === id; })[0];
    if (!p) { fail('no patient ' + id); return; }
    if (!pat.pager) return;
    var i = view.list.indexOf(p);
    if (i < 0) { state.hidden = {}; rebuildControls(); redraw(); i = view.list.indexOf(p); }
    state.page = Math.floor(i / PAGE);
    state.selected = id;
    renderPatients();
    var el = document.getElementById('patient-' + p.index);
    if (el) el.scrollIntoView();
  }

  function section(p) {
    var box = h('div', { cls: 'patient' + (state.selected === p.id ? ' selected' : ''), id: 'patient-' + p.index, 'data-patient': p.id });
    box.appendChild(h('h3', { text: 'Patient ' + p.id }));
    box.appendChild(h('div', { cls: 'facts', text: 'as of ' + (p.as_of || '(no dated record)') + ' · day 0 = ' + (p.t0 || '?') + ' (first treatment episode, else first record)' }));
    // Results, side by side for two packs.
    var table = h('table', { cls: 'results' });
    var head = h('tr', {}, h('th', { text: 'result' }));
    packs.forEach(function (pk, k) { head.appendChild(h('th', { text: (COMPARE ? (k ? 'B: ' : 'A: ') : '') + pk.label })); });
    table.appendChild(head);
    packs[0].results.forEach(function (r) {
      var tr = h('tr', {}, h('td', { text: r.name }));
      var vals = p.packs.map(function (x) { return r.name in x.results ? valueText(x.results[r.name]) : '—'; });
      vals.forEach(function (v) { tr.appendChild(h('td', { text: v })); });
      if (COMPARE && vals[0] !== vals[1]) tr.className = 'differs';
      table.appendChild(tr);
    });
    box.appendChild(table);
    box.appendChild(charts(p));
    p.packs.forEach(function (x, k) {
      var wrap = h('div', { cls: COMPARE ? (k ? 'pack-b' : 'pack-a') : '' });
      wrap.appendChild(h('h4', { text: 'Decisions' + (COMPARE ? ' of ' + packs[k].label : '') + ' (crit explain --failing)' }));
      x.summary.forEach(function (r) { wrap.appendChild(decision(r, k, null)); });
      var details = h('details', { cls: 'tree' }, h('summary', { text: 'Full explanation: every clause, citation and data point' }));
      details.addEventListener('toggle', function () {
        if (details.open && details.children.length === 1) details.appendChild(h('pre', { text: x.tree }));
      });
      wrap.appendChild(details);
      box.appendChild(wrap);
    });
    return box;
  }

  // The decision of one result: what held, and each better-ranked category's failed conditions.
  function decision(r, k, other) {
    var d = h('div', { cls: 'decision', 'data-result': r.name });
    var head = r.name + ' = ' + valueText(r.value);
    if (r.decided_by) head += ': `' + r.decided_by + '` held from ' + r.held_from;
    d.appendChild(h('div', { cls: 'head' }, head + '  ', h('span', { cls: 'evidence', text: '[' + r.rule.file + ':' + r.rule.line + ']' })));
    if (r.held && r.held.length) {
      var because = h('div', { cls: 'held' }, h('div', { text: 'because:' }));
      var hl = h('ul', {});
      r.held.forEach(function (c) { hl.appendChild(condition(c, k, other)); });
      because.appendChild(hl);
      d.appendChild(because);
    }
    r.failed.forEach(function (f) {
      var what = f.label === 'false' || f.label === 'unknown' ? f.label + ':' : f.label + ' ' + (f.truth === 'unknown' ? 'unknown' : 'not met') + ' on ' + f.on + ':';
      var block = h('div', { cls: 'failed' }, h('div', { text: what }));
      var ul = h('ul', {});
      if (!f.conditions.length) ul.appendChild(h('li', { text: '(no single condition: see the full explanation)' }));
      f.conditions.forEach(function (c) { ul.appendChild(condition(c, k, other)); });
      block.appendChild(ul);
      d.appendChild(block);
    });
    return d;
  }

  // Thresholds of pack k written on a line, about a concept the condition names.
  function thresholdsOf(k, c) {
    return packs[k].thresholds.filter(function (t) {
      return t.line === c.line && (' ' + c.condition + ' ').indexOf(t.concept) >= 0;
    });
  }

  function condition(c, k, other) {
    var li = h('li', { cls: c.truth === 'unknown' ? 'truth-unknown' : '' });
    var changed = COMPARE ? thresholdsOf(k, c).filter(function (t) { return t.changed; }) : [];
    var text = (c.truth === 'unknown' ? 'unknown: ' : '') + c.condition;
    li.appendChild(changed.length ? h('mark', { text: text }) : document.createTextNode(text));
    li.appendChild(h('span', { cls: 'evidence', text: ' [line ' + c.line + ']' }));
    if (c.evidence) li.appendChild(h('div', { cls: 'evidence', text: c.evidence }));
    changed.forEach(function (t) {
      li.appendChild(h('div', { cls: 'other', text: 'other pack: ' + t.other.join('; ') }));
    });
    if (other && other.indexOf(c.condition) < 0) li.setAttribute('data-only-here', '1');
    return li;
  }

  // ---- lab charts --------------------------------------------------------------------------
  function charts(p) {
    var wrap = h('div', { cls: 'charts' });
    var names = Object.keys(p.labs);
    if (!names.length) wrap.appendChild(h('p', { cls: 'hint', text: 'No quantity results of the concepts the pack reads.' }));
    names.forEach(function (c) { wrap.appendChild(chart(p, c)); });
    return wrap;
  }

  function chart(p, concept) {
    var lab = p.labs[concept];
    var pts = lab.points;
    var W = 440, Hc = 170, L = 46, R = 10, T = 8, B = 22;
    var box = h('div', { cls: 'chart', 'data-concept': concept });
    box.appendChild(h('h5', {}, concept + ' ', h('span', { cls: 'unit', text: lab.unit })));
    var lines = [];
    packs.forEach(function (pk, k) {
      pk.thresholds.forEach(function (t) { if (t.concept === concept) lines.push({ t: t, k: k }); });
    });
    var ys = pts.map(function (q) { return q[1]; }).concat(lines.map(function (l) { return l.t.value; }));
    var ymin = Math.min.apply(null, ys.concat([0])), ymax = Math.max.apply(null, ys);
    if (ymax <= ymin) ymax = ymin + 1;
    ymax += (ymax - ymin) * 0.12;
    if (ymin < 0) ymin -= (ymax - ymin) * 0.05;
    var x0 = Math.min(0, day(pts[0][0]) - p.t0d), x1 = Math.max(p.endd, day(pts[pts.length - 1][0]) - p.t0d, x0 + 1);
    var X = function (d) { return L + (d - x0) / (x1 - x0) * (W - L - R); };
    var Y = function (v) { return T + (1 - (v - ymin) / (ymax - ymin)) * (Hc - T - B); };
    var svg = s('svg', { width: W, height: Hc, viewBox: '0 0 ' + W + ' ' + Hc, role: 'img' });
    tip(svg, concept + ' over time, days from therapy start');
    // Treatment episodes shaded behind the series.
    p.packs[0].episodes.forEach(function (e) {
      var a = X(day(e.start) - p.t0d), b = X((e.end ? day(e.end) : day(p.as_of)) - p.t0d);
      tip(s('rect', { x: a, y: T, width: Math.max(1, b - a), height: Hc - T - B, fill: '#eef1f4' }, svg), e['class'] + ' ' + e.start + ' to ' + (e.end || 'running'));
    });
    var step = niceStep(ymax - ymin, 4);
    for (var v = Math.ceil(ymin / step) * step; v <= ymax; v += step) {
      s('line', { x1: L, y1: Y(v), x2: W - R, y2: Y(v), stroke: '#f0f2f4' }, svg);
      s('text', { x: L - 4, y: Y(v) + 3.5, 'font-size': 10, 'text-anchor': 'end', fill: '#59636e', text: fmt(v) }, svg);
    }
    var dstep = dayStep(x1 - x0);
    for (var d = Math.ceil(x0 / dstep) * dstep; d <= x1; d += dstep)
      s('text', { x: X(d), y: Hc - 8, 'font-size': 10, 'text-anchor': 'middle', fill: '#59636e', text: 'd' + d }, svg);
    s('line', { x1: L, y1: Hc - B, x2: W - R, y2: Hc - B, stroke: '#8c959f' }, svg);
    // Thresholds: one line per value (and pack), labelled with its first clause; the list
    // under the chart names every clause that uses it.
    var groups = {};
    lines.forEach(function (l) {
      var key = l.k + ':' + l.t.value;
      (groups[key] = groups[key] || { k: l.k, value: l.t.value, ts: [] }).ts.push(l.t);
    });
    // A line is labelled with a criterion that uses it before a normal range.
    Object.keys(groups).forEach(function (k) {
      groups[k].ts.sort(function (a, b) { return (a.where === 'normal') - (b.where === 'normal') || a.line - b.line; });
    });
    var placed = [];
    var list = h('ul', { cls: 'thresholds' });
    Object.keys(groups).map(function (k) { return groups[k]; }).sort(function (a, b) { return b.value - a.value || a.k - b.k; }).forEach(function (g) {
      var y = Y(g.value), col = COMPARE ? PACK_COLOURS[g.k] : '#cf222e';
      var changed = g.ts.some(function (t) { return t.changed; });
      s('line', { x1: L, y1: y, x2: W - R, y2: y, stroke: col, 'stroke-width': changed ? 2 : 1.2, 'stroke-dasharray': '5,3' }, svg);
      var t0 = g.ts[0];
      var text = (COMPARE ? (g.k ? 'B: ' : 'A: ') : '') + t0.op + ' ' + t0.written + ' (' + t0.where + ', line ' + t0.line + ')' +
                 (g.ts.length > 1 ? ' +' + (g.ts.length - 1) : '');
      // Just above the line, else just below, else further off: inside the plot, never on another label.
      var clash = function (v) { return placed.some(function (py) { return Math.abs(py - v) < 11; }); };
      var ly = y - 3;
      for (var step = 0; step < 16; step++) {
        var c = step % 2 ? y + 11 + 11 * (step >> 1) : y - 3 - 11 * (step >> 1);
        if (c >= T + 9 && c <= Hc - B - 2 && !clash(c)) { ly = c; break; }
      }
      placed.push(ly);
      var label = s('text', { x: W - R - 3, y: ly, 'font-size': 10, 'text-anchor': 'end', fill: col, 'font-weight': changed ? 700 : 400,
                              stroke: '#fff', 'stroke-width': 3, 'paint-order': 'stroke' }, svg);
      label.textContent = text;
      tip(label, g.ts.map(function (t) { return t.label; }).join('\n'));
      g.ts.forEach(function (t) {
        var li = h('li', { 'data-threshold': t.label }, (COMPARE ? (g.k ? 'B: ' : 'A: ') : '') + t.label);
        li.style.color = col;
        if (t.changed) li.appendChild(h('span', { cls: 'other', text: ' (other pack: ' + t.other.join('; ') + ')' }));
        list.appendChild(li);
      });
    });
    var path = '';
    pts.forEach(function (q, i) { path += (i ? 'L' : 'M') + X(day(q[0]) - p.t0d).toFixed(1) + ',' + Y(q[1]).toFixed(1); });
    s('path', { d: path, fill: 'none', stroke: '#1f2328', 'stroke-width': 1.4 }, svg);
    pts.forEach(function (q) {
      tip(s('circle', { cx: X(day(q[0]) - p.t0d), cy: Y(q[1]), r: 3, fill: '#1f2328' }, svg), q[0] + ': ' + q[2] + ' (' + q[3] + ')');
    });
    if (p.as_of) s('line', { x1: X(p.endd), y1: T, x2: X(p.endd), y2: Hc - B, stroke: '#1f2328', 'stroke-width': 1 }, svg);
    box.appendChild(svg);
    if (list.children.length) {
      var more = h('details', {}, h('summary', { cls: 'hint', text: list.children.length + ' threshold clause' + (list.children.length > 1 ? 's' : '') + ' on this concept' }), list);
      box.appendChild(more);
    }
    return box;
  }

  // ---- the comparison's differences ---------------------------------------------------------
  function buildDifferences(root) {
    var diffs = patients.filter(function (p) {
      return packs[0].results.some(function (r) {
        return r.name in p.packs[1].results && valueText(p.packs[0].results[r.name]) !== valueText(p.packs[1].results[r.name]);
      });
    });
    var DPAGE = 25, page = 0;
    var pager = h('div', { cls: 'pager' }), list = h('div', {});
    root.appendChild(pager);
    root.appendChild(list);
    function render() {
      var pages = Math.max(1, Math.ceil(diffs.length / DPAGE));
      pager.textContent = '';
      var prev = h('button', { type: 'button', text: '‹ previous' }), next = h('button', { type: 'button', text: 'next ›' });
      prev.disabled = page === 0; next.disabled = page >= pages - 1;
      prev.onclick = function () { page--; render(); };
      next.onclick = function () { page++; render(); };
      pager.appendChild(prev);
      pager.appendChild(h('span', { text: 'page ' + (page + 1) + ' of ' + pages + ' (' + diffs.length + ' patients)' }));
      pager.appendChild(next);
      list.textContent = '';
      diffs.slice(page * DPAGE, (page + 1) * DPAGE).forEach(function (p) { list.appendChild(difference(p)); });
    }
    render();
  }

  function difference(p) {
    var box = h('div', { cls: 'difference', 'data-patient': p.id });
    var link = h('button', { type: 'button', cls: 'link', text: 'patient ' + p.id });
    link.onclick = function () { openPatient(p.id); };
    box.appendChild(h('h4', {}, link, ' (as of ' + (p.as_of || '?') + ')'));
    packs[0].results.forEach(function (r) {
      if (!(r.name in p.packs[1].results)) return;
      var a = valueText(p.packs[0].results[r.name]), b = valueText(p.packs[1].results[r.name]);
      if (a === b) return;
      box.appendChild(h('div', { cls: 'head' }, h('b', { text: r.name }), ': ' + packs[0].label + ' = ' + a + ', ' + packs[1].label + ' = ' + b));
      var cols = h('div', { cls: 'cols' });
      var sums = p.packs.map(function (x) { return x.summary.filter(function (y) { return y.name === r.name; })[0]; });
      var conds = sums.map(function (sm) {
        var out = [];
        if (sm) sm.failed.forEach(function (f) { f.conditions.forEach(function (c) { out.push(c.condition); }); });
        return out;
      });
      sums.forEach(function (sm, k) {
        var col = h('div', { cls: k ? 'pack-b' : 'pack-a' }, h('div', { cls: 'evidence', text: packs[k].label }));
        if (sm) col.appendChild(decision(sm, k, conds[1 - k]));
        cols.appendChild(col);
      });
      box.appendChild(cols);
    });
    return box;
  }

  // ---- start --------------------------------------------------------------------------------
  function start() {
    var plot = document.getElementById('swimmer');
    var list = document.getElementById('patients');
    if (D.mode === 'patient') {
      buildPatients(list, true);
      patients.forEach(function (p) { pat.list.appendChild(section(p)); });
    } else {
      buildSwimmer(plot);
      buildPatients(list, false);
      if (COMPARE) buildDifferences(document.getElementById('differences'));
      redraw();
      // The comparison's cell lists link to patients: their sections open in place.
      Array.prototype.forEach.call(document.querySelectorAll('a.plink'), function (a) {
        a.addEventListener('click', function (ev) { ev.preventDefault(); openPatient(a.getAttribute('data-patient')); });
      });
      var fromHash = function () {
        var m = /^#patient=(.+)$/.exec(window.location.hash);
        if (!m) return;
        var id = m[1];
        try { id = decodeURIComponent(id); } catch (e) { /* an id with a bare % is its own text */ }
        openPatient(id);
      };
      fromHash();
      window.addEventListener('hashchange', fromHash);
    }
    document.documentElement.setAttribute('data-crit-rendered', 'ok');
  }
  load().then(function (data) {
    D = data;
    prepare();
    start();
  }).catch(function (e) { fail(e && e.stack ? e.stack : String(e)); });
})();
