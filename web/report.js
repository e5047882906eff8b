// Draws the custlens report model (the JSON in #custlens-model): per section its findings, an
// ECharts chart and a table. In dashboard mode, filter controls fetch /api/report (a new model)
// and redraw. Data only ever reaches the page through textContent, never innerHTML.
(function () {
  'use strict';

  function readJson(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  const options = readJson('custlens-options') || {};
  const labels = options.labels || {};
  let charts = [];

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function numberFormats(lang) {
    const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
    const fixed = (digits) =>
      new Intl.NumberFormat(locale, {minimumFractionDigits: digits, maximumFractionDigits: digits});
    return {
      integer: new Intl.NumberFormat(locale, {maximumFractionDigits: 0}),
      money: fixed(2),
      number: new Intl.NumberFormat(locale, {maximumFractionDigits: 2}),
      percent: fixed(1),
      // Model statistics keep 4 significant digits; tiny ones (p-values) take an exponent.
      stat: {
        significant: new Intl.NumberFormat(locale, {maximumSignificantDigits: 4}),
        decimals: new Intl.NumberFormat(locale, {maximumFractionDigits: 2}),
        format(value) {
          const size = Math.abs(value);
          if (size !== 0 && size < 1e-4) return value.toExponential(2);
          return size >= 1000 ? this.decimals.format(value) : this.significant.format(value);
        },
      },
    };
  }

  // One table cell: numbers formatted by the column's format, lists as bullets, text as text.
  function cell(value, format, formats) {
    const td = element('td');
    if (value === null || value === undefined) return td;
    if (format === 'list' && Array.isArray(value)) {
      const list = element('ul');
      value.forEach((item) => list.appendChild(element('li', null, item)));
      td.appendChild(list);
      return td;
    }
    if (typeof value === 'number' && formats[format]) {
      td.className = 'num';
      td.textContent =
        format === 'percent' ? formats.percent.format(value * 100) + '%' : formats[format].format(value);
      return td;
    }
    td.textContent = String(value);
    return td;
  }

  function drawTable(table, formats) {
    const wrap = element('div', 'table-wrap');
    const node = element('table');
    const head = element('tr');
    const columnFormats = table.formats || [];
    (table.columns || []).forEach((column, i) => {
      const numeric = ['integer', 'money', 'number', 'percent', 'stat'].includes(columnFormats[i]);
      head.appendChild(element('th', numeric ? 'num' : null, column));
    });
    node.appendChild(element('thead')).appendChild(head);
    const body = node.appendChild(element('tbody'));
    (table.rows || []).forEach((row) => {
      const tr = body.appendChild(element('tr'));
      row.forEach((value, i) => tr.appendChild(cell(value, columnFormats[i], formats)));
    });
    wrap.appendChild(node);
    return wrap;
  }

  // Tooltips as canvas text: ECharts' HTML tooltips would put data strings into markup.
  function safeOption(chart) {
    const option = JSON.parse(JSON.stringify(chart));
    const tooltips = Array.isArray(option.tooltip) ? option.tooltip : [option.tooltip || {}];
    tooltips.forEach((tooltip) => {
      tooltip.renderMode = 'richText';
    });
    option.tooltip = tooltips;
    option.color = option.color || ['#3b6ea5', '#e07b39', '#5aa469', '#9467bd', '#d9534f'];
    option.animation = false;
    return option;
  }

  function drawChart(container, chart, height) {
    if (typeof echarts === 'undefined') {
      container.appendChild(element('p', 'empty', labels.no_charts));
      return;
    }
    const node = container.appendChild(element('div', 'chart'));
    if (Number.isFinite(height) && height > 0) node.style.height = Math.min(height, 4000) + 'px';
    const instance = echarts.init(node, null, {renderer: 'canvas'});
    instance.setOption(safeOption(chart));
    charts.push(instance);
  }

  function anchor(id) {
    return 'section-' + String(id).replace(/[^A-Za-z0-9_-]/g, '_');
  }

  // Appends the section to `parent` first: ECharts sizes a chart from its laid-out container.
  function drawSection(parent, section, formats) {
    const node = parent.appendChild(element('section', 'section'));
    node.id = anchor(section.id);
    node.appendChild(element('h2', null, section.title));
    const findings = section.findings || [];
    if (findings.length) {
      const list = node.appendChild(element('ul', 'findings'));
      list.setAttribute('aria-label', labels.findings || 'Findings');
      findings.forEach((sentence) => list.appendChild(element('li', null, sentence)));
    }
    const body = node.appendChild(element('div', 'section-body'));
    // A wide table gets the full width under its chart instead of a cramped column beside it.
    const wide = section.table && (section.table.columns || []).length > 5;
    if (!section.chart || wide) body.classList.add('single-column');
    if (section.chart) drawChart(body, section.chart, section.chart_height);
    // A section with nothing to tabulate (a note only) gets no empty table.
    if (section.table && (section.table.columns || []).length) {
      body.appendChild(drawTable(section.table, formats));
    }
  }

  function draw(model) {
    charts.forEach((chart) => chart.dispose());
    charts = [];
    document.documentElement.lang = model.lang || 'en';
    document.title = model.title || '';
    document.getElementById('report-title').textContent = model.title || '';
    document.getElementById('report-subtitle').textContent = model.subtitle || '';
    const formats = numberFormats(model.lang);
    const main = document.getElementById('sections');
    const toc = document.getElementById('toc');
    main.replaceChildren();
    toc.replaceChildren();
    const sections = model.sections || [];
    if (!sections.length) main.appendChild(element('p', 'empty', labels.empty));
    sections.forEach((section) => {
      const link = toc.appendChild(element('a', null, section.title));
      link.href = '#' + anchor(section.id);
      drawSection(main, section, formats);
    });
  }

  function setStatus(text, isError) {
    const status = document.getElementById('status');
    status.textContent = text || '';
    status.classList.toggle('error', Boolean(isError));
  }

  // Dashboard: date range, country and tier; each change asks the server for a new model.
  function setUpFilters() {
    const form = document.getElementById('filters');
    const choices = options.filter_choices || {};
    const field = (name, text, control) => {
      control.name = name;
      const label = element('label', null, text);
      label.appendChild(control);
      form.appendChild(label);
      return control;
    };
    const date = (name, text, value) => {
      const input = element('input');
      input.type = 'date';
      if (choices.from) input.min = choices.from;
      if (choices.to) input.max = choices.to;
      if (value) input.value = value;
      return field(name, text, input);
    };
    const select = (name, text, values) => {
      const control = element('select');
      control.appendChild(element('option', null, labels.all)).value = '';
      (values || []).forEach((choice) => {
        const value = typeof choice === 'object' && choice !== null ? choice.value : choice;
        const label = typeof choice === 'object' && choice !== null ? choice.label : choice;
        control.appendChild(element('option', null, label)).value = String(value);
      });
      return field(name, text, control);
    };
    date('from', labels.from, choices.from);
    date('to', labels.to, choices.to);
    select('country', labels.country, choices.countries);
    select('tier', labels.tier, choices.tiers);
    form.appendChild(element('button', null, labels.apply)).type = 'submit';

    let latest = 0;
    const load = () => {
      const request = ++latest;
      const params = new URLSearchParams();
      ['from', 'to', 'country', 'tier'].forEach((name) => params.set(name, form.elements[name].value));
      setStatus(labels.loading);
      fetch('/api/report?' + params.toString(), {headers: {Accept: 'application/json'}})
        .then((response) => {
          if (!response.ok) throw new Error(response.status + ' ' + response.statusText);
          return response.json();
        })
        .then((model) => {
          if (request !== latest) return;  // a newer request is on its way
          draw(model);
          setStatus('');
        })
        .catch((error) => {
          if (request === latest) setStatus(labels.failed + ': ' + error.message, true);
        });
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      load();
    });
    form.addEventListener('change', load);
    form.hidden = false;
  }

  window.addEventListener('resize', () => charts.forEach((chart) => chart.resize()));
  const model = readJson('custlens-model');
  if (model) draw(model);
  // The sections exist only now, after the browser looked for the URL's #fragment.
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target) target.scrollIntoView();
  if (options.dashboard) setUpFilters();
})();
