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

  // Layout rules (docs/report.md): a table of more than kScrollRows rows scrolls inside a box
  // with its header fixed; a smaller one is shown whole. On a phone, a table of more than
  // kStackColumns columns shows each row as a block of "column: value" lines, so nothing
  // scrolls sideways.
  const kScrollRows = 25;
  const kStackColumns = 5;

  function drawTable(table, formats) {
    const rows = table.rows || [];
    const columns = table.columns || [];
    const wrap = element('div', 'table-wrap');
    if (rows.length > kScrollRows) wrap.classList.add('scroll');
    if (columns.length > kStackColumns) wrap.classList.add('stackable');
    const node = element('table');
    const head = element('tr');
    const columnFormats = table.formats || [];
    columns.forEach((column, i) => {
      const numeric = ['integer', 'money', 'number', 'percent', 'stat'].includes(columnFormats[i]);
      head.appendChild(element('th', numeric ? 'num' : null, column));
    });
    node.appendChild(element('thead')).appendChild(head);
    const body = node.appendChild(element('tbody'));
    rows.forEach((row) => {
      const tr = body.appendChild(element('tr'));
      row.forEach((value, i) => {
        const td = tr.appendChild(cell(value, columnFormats[i], formats));
        td.setAttribute('data-label', columns[i] === undefined ? '' : String(columns[i]));
        // The row's name (a category, country, term): one line, cut with an ellipsis, whole
        // in the tooltip.
        if (i === 0 && typeof value === 'string' && value !== '') {
          td.replaceChildren(element('span', 'key', value));
          td.classList.add('key-cell');
          td.title = value;
        }
      });
    });
    wrap.appendChild(node);
    return wrap;
  }

  // Prose that belongs to a table row (a tier's playbook): one card each, below the table.
  function drawCards(cards) {
    const grid = element('div', 'cards');
    cards.forEach((card) => {
      const node = grid.appendChild(element('article', 'card'));
      node.appendChild(element('h3', null, card.title));
      const list = node.appendChild(element('dl'));
      (card.fields || []).forEach((field) => {
        if (field.label) list.appendChild(element('dt', null, field.label));
        const items = field.items || [];
        const dd = list.appendChild(element('dd'));
        if (items.length === 1) {
          dd.textContent = String(items[0]);
        } else {
          const bullets = dd.appendChild(element('ul'));
          items.forEach((item) => bullets.appendChild(element('li', null, item)));
        }
      });
    });
    return grid;
  }

  // Tooltips as canvas text: ECharts' HTML tooltips would put data strings into markup.
  function safeOption(chart) {
    const option = JSON.parse(JSON.stringify(chart));
    const tooltips = Array.isArray(option.tooltip) ? option.tooltip : [option.tooltip || {}];
    tooltips.forEach((tooltip) => {
      tooltip.renderMode = 'richText';
    });
    option.tooltip = tooltips;
    // Ten distinct colours: a chart of up to ten series (k-means clusters) repeats none.
    option.color = option.color || ['#3b6ea5', '#e07b39', '#5aa469', '#9467bd', '#d9534f',
                                     '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
    option.animation = false;
    return option;
  }

  // Chart layout for the width the chart has, applied to every section's option (rules in
  // docs/report.md): labels stay inside the canvas, long category names are cut with an
  // ellipsis (whole on hover), axis names never leave the canvas, legends keep to one line.
  const kPhoneWidth = 600;
  const asArray = (value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
  const measureContext = document.createElement('canvas').getContext('2d');
  // In ECharts' own font (its default family), so that a label given this width is not cut.
  function textWidth(text, size) {
    measureContext.font = size + 'px sans-serif';
    return Math.ceil(measureContext.measureText(String(text)).width) + 4;
  }
  function categoryNames(axis) {
    return asArray(axis.data).map((item) => (item !== null && typeof item === 'object' ? item.value : item));
  }

  // Category names that must fit `width`: ECharts cuts the end, which leaves names that differ
  // only at the end (Category_Books, Category_Toys) all alike; those are cut in the middle
  // instead. Sets the axis's label formatter and its tooltip (the whole name) when it does.
  function fitCategoryNames(axis, names, width, fontSize) {
    const fits = (text) => textWidth(text, fontSize) <= width;
    const cut = (text, tailShare) => {
      const chars = Array.from(text);
      for (let keep = chars.length - 1; keep > 1; --keep) {
        const tail = Math.round(keep * tailShare);
        const candidate = chars.slice(0, keep - tail).join('') + '…' + (tail ? chars.slice(chars.length - tail).join('') : '');
        if (fits(candidate)) return candidate;
      }
      return chars[0] + '…';
    };
    const distinct = new Set(names.map(String));
    const endCut = new Set(names.map((name) => (fits(String(name)) ? String(name) : cut(String(name), 0))));
    if (endCut.size === distinct.size) return;  // ECharts' own cut keeps them apart
    const short = new Map();
    const full = new Map();
    names.forEach((name) => {
      const text = String(name);
      const shown = fits(text) ? text : cut(text, 0.6);
      short.set(text, shown);
      full.set(shown, text);
    });
    axis.axisLabel.formatter = (value) => short.get(String(value)) || String(value);
    axis.tooltip = {show: true, formatter: (params) => full.get(params.name) || params.name};
  }

  function layoutOption(base, width, height) {
    const option = JSON.parse(JSON.stringify(base));
    const phone = width < kPhoneWidth;
    const fontSize = phone ? 11 : 12;
    const xAxes = asArray(option.xAxis);
    const yAxes = asArray(option.yAxis);
    if (!xAxes.length && !yAxes.length) return option;
    const grids = asArray(option.grid);
    if (grids.length > 1) {
      // Several stacked grids (the outlier box plots) place themselves: keep each, labels in.
      grids.forEach((each) => { each.containLabel = true; });
      xAxes.concat(yAxes).forEach((axis) => {
        axis.axisLabel = Object.assign({}, axis.axisLabel, {hideOverlap: true, fontSize});
      });
      return option;
    }
    const grid = Object.assign({left: 8, right: 8, top: 8, bottom: 8}, asArray(option.grid)[0] || {});
    grid.containLabel = true;
    const legend = asArray(option.legend)[0];
    const hasLegend = legend && legend.show !== false;
    if (hasLegend) {
      // One scrollable line at the top; a long name is cut and shown whole on hover.
      Object.assign(legend, {type: 'scroll', top: 0, left: 'center', itemGap: phone ? 8 : 10,
                             itemWidth: phone ? 16 : 25, tooltip: {show: true},
                             textStyle: Object.assign({}, legend.textStyle,
                                                      {fontSize, width: phone ? 110 : 200, overflow: 'truncate'})});
      grid.top = Math.max(grid.top, 32);
    }
    const plotWidth = Math.max(width - 90, 40);
    const plotHeight = Math.max(height - grid.top - grid.bottom - 40, 40);

    xAxes.forEach((axis) => {
      axis.axisLabel = Object.assign({}, axis.axisLabel, {hideOverlap: true, fontSize});
      let labelSpace = fontSize + 8;
      if (axis.type === 'category') {
        axis.tooltip = {show: true};  // the whole name of a cut label on hover
        const names = categoryNames(axis);
        const slot = plotWidth / Math.max(names.length, 1);
        const widest = Math.max(0, ...names.map((name) => textWidth(name, fontSize)));
        if (widest + 8 <= slot) {
          axis.axisLabel.width = Math.max(slot - 4, 16);
          axis.axisLabel.overflow = 'truncate';
        } else {
          // Too narrow for the names side by side: slant them and cut the longest.
          const longest = Math.min(widest, phone ? 84 : 150);
          axis.axisLabel.rotate = 40;
          axis.axisLabel.width = longest;
          axis.axisLabel.overflow = 'truncate';
          labelSpace = Math.ceil(longest * Math.sin(40 * Math.PI / 180) + fontSize) + 8;
          if (slot < fontSize * 1.3) delete axis.axisLabel.interval;  // let ECharts thin them
        }
        fitCategoryNames(axis, names, axis.axisLabel.width, fontSize);
      }
      if (axis.name) {
        // The name centred below the labels: containLabel keeps the labels in, the gap the name.
        axis.nameLocation = 'middle';
        axis.nameGap = labelSpace + 4;
        axis.nameTextStyle = Object.assign({}, axis.nameTextStyle,
                                           {fontSize, width: plotWidth, overflow: 'truncate'});
        grid.bottom = Math.max(grid.bottom, fontSize + 14);
      }
    });

    let named = false;
    yAxes.forEach((axis, i) => {
      axis.axisLabel = Object.assign({}, axis.axisLabel, {hideOverlap: true, fontSize});
      if (axis.type === 'category') {
        axis.tooltip = {show: true};
        const names = categoryNames(axis);
        const widest = Math.max(0, ...names.map((name) => textWidth(name, fontSize)));
        axis.axisLabel.width = Math.min(widest + 2, width * (phone ? 0.34 : 0.28));
        axis.axisLabel.overflow = 'truncate';
        fitCategoryNames(axis, names, axis.axisLabel.width, fontSize);
        if (plotHeight / Math.max(names.length, 1) < fontSize * 1.2) delete axis.axisLabel.interval;
      }
      if (axis.name) {
        // Above the axis, running inwards from it, so that no name crosses the canvas edge.
        const right = axis.position ? axis.position === 'right' : i > 0;
        axis.nameLocation = axis.inverse ? 'start' : 'end';
        axis.nameGap = 8;
        axis.nameTextStyle = Object.assign({}, axis.nameTextStyle, {
          fontSize, align: right ? 'right' : 'left', verticalAlign: axis.inverse ? 'top' : 'bottom',
          width: yAxes.length > 1 ? plotWidth / 2 - 8 : plotWidth, overflow: 'truncate'});
        if (axis.inverse) grid.bottom = Math.max(grid.bottom, fontSize + 14);
        else named = true;
      }
    });
    if (named) grid.top += fontSize + 12;

    asArray(option.series).forEach((series) => {
      // A reference line's label sits inside the plot, not past the grid: a vertical line's at
      // its top end, a horizontal line's at its left end, so that two never meet in a corner.
      if (series.markLine) {
        const markLabel = series.markLine.label || {};
        if (markLabel.show !== false) {
          series.markLine.label = Object.assign({}, markLabel, {position: 'insideEndTop', fontSize});
          asArray(series.markLine.data).forEach((item) => {
            if (item && !Array.isArray(item) && item.yAxis !== undefined) {
              item.label = Object.assign({}, item.label, {position: 'insideStartTop'});
            }
          });
        }
      }
      const label = series.label || {};
      if (!label.show) return;
      series.labelLayout = Object.assign({hideOverlap: true}, series.labelLayout);
      label.fontSize = Math.min(label.fontSize || fontSize, fontSize);
      // A bar's value printed to its right needs room that containLabel does not keep.
      if (label.position === 'right') grid.right = Math.max(grid.right, 56);
    });
    asArray(option.visualMap).forEach((map) => {
      if (map.orient === 'horizontal') {
        map.itemHeight = Math.min(map.itemHeight || 140, Math.max(width - 160, 60));
        map.itemWidth = phone ? 12 : map.itemWidth || 20;
        map.textStyle = Object.assign({}, map.textStyle, {fontSize});
        // The colour bar and its handles below the x axis and its name.
        if (map.bottom !== undefined) {
          const xNamed = xAxes.some((axis) => axis.name);
          grid.bottom = Math.max(grid.bottom, 48 + (xNamed ? fontSize + 12 : 0));
        }
      }
    });
    option.grid = grid;
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
    const option = safeOption(chart);
    instance.setOption(layoutOption(option, node.clientWidth, node.clientHeight));
    charts.push({instance, option, node, width: node.clientWidth, height: node.clientHeight});
  }

  // Lays every chart out again for its new size (labels, legends and names depend on it).
  let resizeQueued = false;
  function relayoutCharts() {
    resizeQueued = false;
    charts.forEach((chart) => {
      const width = chart.node.clientWidth;
      const height = chart.node.clientHeight;
      chart.instance.resize();
      if (width === chart.width && height === chart.height) return;
      chart.width = width;
      chart.height = height;
      chart.instance.setOption(layoutOption(chart.option, width, height), {notMerge: true});
    });
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
    if (Array.isArray(section.cards) && section.cards.length) node.appendChild(drawCards(section.cards));
  }

  function draw(model) {
    charts.forEach((chart) => chart.instance.dispose());
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
    // A profile table (one row per customer) is filtered by region, category and tier; a
    // behaviour log by local day range and category (the most viewed first, as the server lists
    // them).
    const behaviour = choices.kind === 'behavior_log';
    const names = choices.kind === 'profiles' ? ['region', 'category', 'tier']
      : behaviour ? ['from', 'to', 'category'] : ['from', 'to', 'country', 'tier'];
    if (choices.kind === 'profiles') {
      if (choices.regions) select('region', labels.region, choices.regions);
      if (choices.categories) select('category', labels.category, choices.categories);
    } else {
      date('from', labels.from, choices.from);
      date('to', labels.to, choices.to);
      if (behaviour) {
        select('category', labels.event_category, choices.categories);
      } else {
        select('country', labels.country, choices.countries);
      }
    }
    if (!behaviour) select('tier', labels.tier, choices.tiers);
    form.appendChild(element('button', null, labels.apply)).type = 'submit';

    let latest = 0;
    const load = () => {
      const request = ++latest;
      const params = new URLSearchParams();
      names.forEach((name) => {
        if (form.elements[name]) params.set(name, form.elements[name].value);
      });
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
    if (behaviour && choices.filters === false && choices.why_no_filters) {
      setStatus(labels.filters_off + ': ' + choices.why_no_filters, true);
    }
  }

  window.addEventListener('resize', () => {
    if (resizeQueued) return;
    resizeQueued = true;
    requestAnimationFrame(relayoutCharts);
  });
  const model = readJson('custlens-model');
  if (model) draw(model);
  // The sections exist only now, after the browser looked for the URL's #fragment.
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target) target.scrollIntoView();
  if (options.dashboard) setUpFilters();
})();
