/*
 * Lenin's Testament in the browser: the interface. Every rule of play is in runtime.js;
 * this file only shows views and sends choices, as the desktop and terminal front ends do.
 *
 * Story text is untrusted: it is only ever set with textContent, never parsed as HTML.
 * The reading aids (chapters, glossary, timeline, "What in your story was real?") and the
 * transcript file with its record for the class report come from runtime.js, which ports
 * game/classroom; this file only lays them out.
 * Saves live in the browser's storage (localStorage, which Chromium keeps for file://
 * pages too) and travel as files in the same JSON document as game/saves.py writes.
 */
(function () {
  "use strict";

  var rt = window.TestamentRuntime;
  var story = null;
  var main, live, toolbar;
  /** The run: every state from the start (unlimited undo), the current one last. */
  var history = [];
  var pendingMessage = "";
  var PREFIX = "";
  var AUTOSAVES = 5;

  // ---- small DOM helpers ------------------------------------------------------------------

  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "text") node.textContent = v;
        else if (k === "class") node.className = v;
        else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? "" : v);
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  /** Paragraphs as the desktop lays them out: split at blank lines, whitespace collapsed. */
  function paras(text, cls) {
    var box = el("div", { "class": cls || "prose" });
    rt.pyStrip(text).split(/\n[^\S\n]*\n/).forEach(function (p) {
      var t = p.replace(/\s+/g, " ").trim();
      if (t) box.appendChild(el("p", { text: t }));
    });
    return box;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function current() { return history[history.length - 1]; }

  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 60);
  }

  function show(nodes, focusFirstHeading, layout) {
    clear(main);
    main.className = layout || "";
    nodes.forEach(function (n) { if (n) main.appendChild(n); });
    window.scrollTo(0, 0);
    var h = main.querySelector("h1");
    if (h && focusFirstHeading !== false) {
      h.setAttribute("tabindex", "-1");
      h.focus({ preventScroll: true });
    }
  }

  // ---- storage ----------------------------------------------------------------------------------

  var store = (function () {
    var ls = null;
    try {
      ls = window.localStorage;
      var probe = "__testament_probe__";
      ls.setItem(probe, "1");
      ls.removeItem(probe);
    } catch (e) {
      ls = null;
    }
    return {
      ok: ls !== null,
      get: function (key) { try { return ls ? ls.getItem(key) : null; } catch (e) { return null; } },
      set: function (key, value) {
        if (!ls) return "this browser keeps nothing for this page; download a save file instead";
        try { ls.setItem(key, value); return ""; } catch (e) { return "the browser's storage is full or refused the save (" + e.name + ")"; }
      },
      remove: function (key) { try { if (ls) ls.removeItem(key); } catch (e) { /* nothing to do */ } },
      keys: function (prefix) {
        var out = [];
        if (!ls) return out;
        try {
          for (var i = 0; i < ls.length; i++) {
            var k = ls.key(i);
            if (k !== null && k.indexOf(prefix) === 0) out.push(k);
          }
        } catch (e) { /* nothing listed */ }
        return out;
      }
    };
  })();

  // ---- preferences --------------------------------------------------------------------------

  var DEFAULT_PREFS = { scale: 1, leading: 1.6, contrast: false, dyslexic: false, motion: "system", voice: false };
  var prefs = Object.assign({}, DEFAULT_PREFS);

  function loadPrefs() {
    try {
      var saved = JSON.parse(store.get("lenins-testament/prefs") || "{}");
      Object.keys(DEFAULT_PREFS).forEach(function (k) {
        if (saved && typeof saved[k] === typeof DEFAULT_PREFS[k]) prefs[k] = saved[k];
      });
    } catch (e) { /* defaults */ }
    if (!store.get("lenins-testament/prefs") && window.matchMedia && window.matchMedia("(prefers-contrast: more)").matches) {
      prefs.contrast = true;
    }
    applyPrefs();
  }

  function savePrefs() {
    store.set("lenins-testament/prefs", JSON.stringify(prefs));
    applyPrefs();
  }

  function applyPrefs() {
    var root = document.documentElement;
    root.style.setProperty("--scale", String(prefs.scale));
    root.style.setProperty("--leading", String(prefs.leading));
    root.classList.toggle("contrast", !!prefs.contrast);
    root.classList.toggle("dyslexic", !!prefs.dyslexic);
    root.classList.toggle("still", prefs.motion === "off");
    root.classList.toggle("moving", prefs.motion === "on");
  }

  function speak(text) {
    if (!prefs.voice || !window.speechSynthesis || !window.SpeechSynthesisUtterance) return;
    window.speechSynthesis.cancel();
    var u = new window.SpeechSynthesisUtterance(text);
    u.lang = document.documentElement.lang || "en";
    window.speechSynthesis.speak(u);
  }

  // ---- the chrome ------------------------------------------------------------------------------

  var TOOLS = [
    { id: "undo", label: "Undo", key: "U", run: undo, inGame: true },
    { id: "journal", label: "Journal", key: "J", run: openJournal, inGame: true },
    { id: "glossary", label: "Glossary", key: "G", run: openGlossary, inGame: true },
    { id: "timeline", label: "Timeline", key: "L", run: openTimeline, inGame: true },
    { id: "saves", label: "Saves", key: "S", run: openSaves, inGame: false },
    { id: "transcript", label: "Transcript", key: "T", run: openTranscript, inGame: true },
    { id: "settings", label: "Settings", key: ",", run: openSettings, inGame: false },
    { id: "menu", label: "Menu", key: "M", run: function () { showTitle(); }, inGame: true }
  ];

  function buildChrome() {
    var bar = document.getElementById("bar");
    clear(bar);
    bar.appendChild(el("p", { "class": "brand", text: story.title }));
    var list = el("ul");
    TOOLS.forEach(function (t) {
      list.appendChild(el("li", null, [el("button", {
        "class": "tool", type: "button", id: "tool-" + t.id, "aria-keyshortcuts": t.key === "," ? "," : t.key,
        onclick: function () { if (this.getAttribute("aria-disabled") !== "true") t.run(); }
      }, [t.label, el("kbd", { "aria-hidden": "true", text: t.key })])]));
    });
    toolbar = el("nav", { "aria-label": "Game" }, [list]);
    bar.appendChild(toolbar);
  }

  function updateTools() {
    var playing = history.length > 0;
    TOOLS.forEach(function (t) {
      var b = document.getElementById("tool-" + t.id);
      if (!b) return;
      b.parentNode.hidden = t.inGame && !playing;
      if (t.id === "undo" && history.length < 2) b.setAttribute("aria-disabled", "true");
      else b.removeAttribute("aria-disabled");
    });
  }

  // ---- screens -----------------------------------------------------------------------------------

  function showTitle() {
    var auto = latestAutosave();
    var menu = el("ul", { "class": "menu" });
    function item(label, action, primary) {
      menu.appendChild(el("li", null, [el("button", { "class": "button" + (primary ? " primary" : ""), type: "button", onclick: action }, [label])]));
    }
    if (history.length && current().ending === null) item("Return to the game", function () { showCurrent(); }, true);
    if (auto) {
      item("Continue: " + auto.info, function () { restore(auto.doc, "the last autosave"); }, !history.length);
    }
    item("New game", showCharacters, !auto && !history.length);
    if (hasChapters()) item("Chapters", function () { showChapters(); });
    item("Load a save", openSaves);
    item("Settings", openSettings);
    item("About this game", openAbout);
    var words = story.title.split(" ");
    var first = words.length > 1 ? words.slice(0, -1).join(" ") : story.title;
    var last = words.length > 1 ? words[words.length - 1] : "";
    var heading = el("h1", null, [first, last ? el("span", { text: last }) : null]);
    heading.setAttribute("aria-label", story.title);
    var panel = el("div", { "class": "panel" }, [
      el("p", { "class": "kicker", text: "An interactive history" }),
      heading,
      el("p", { "class": "lede", text: lede() }),
      el("nav", { "aria-label": "Main menu" }, [menu])
    ]);
    updateTools();
    var art = el("div", { "class": "art", "aria-hidden": "true" }, [el("i", { "class": "wedge" }), el("i", { "class": "beam" }),
      el("i", { "class": "disc" }), el("i", { "class": "rule" })]);
    show([el("section", { "class": "poster" }, [art, panel])], true, "full");
    announce(story.title + ". Main menu.");
  }

  function lede() {
    var dates = Array.from(story.scenes.values()).map(function (s) { return s.date.slice(0, 4); })
      .filter(function (y) { return /^\d{4}$/.test(y); }).sort();
    var span = dates.length ? (dates[0] === dates[dates.length - 1] ? dates[0] : dates[0] + "\u2013" + dates[dates.length - 1]) : "";
    var n = story.characters.size;
    return (span ? span + ". " : "") + "Every choice moves hidden forces; they, not a fixed path, decide how it ends. " +
      n + " " + (n === 1 ? "life" : "lives") + " to play.";
  }

  function showCharacters() {
    var cards = el("div", { "class": "cards" });
    story.characters.forEach(function (c) {
      var who = [c.title, c.born ? "born " + c.born : ""].filter(Boolean).join(", ");
      cards.appendChild(el("article", { "class": "card", "aria-labelledby": "char-" + c.id }, [
        el("header", null, [el("h2", { id: "char-" + c.id, text: c.name }), who ? el("p", { "class": "who", text: who }) : null]),
        el("div", { "class": "body" }, [paras(c.bio, "bio"), c.standing ? paras(c.standing, "standing") : null]),
        el("div", { "class": "go" }, [el("button", {
          "class": "button primary", type: "button", onclick: function () { begin(c.id); }
        }, ["Play as " + c.name])])
      ]));
    });
    updateTools();
    show([el("div", { "class": "wide" }, [
      el("p", { "class": "kicker", text: "New game" }),
      el("h1", { text: "Choose who you are" }),
      el("p", { text: "Each begins from his own position in the party. What you do from there is yours." }),
      cards,
      el("p", null, [el("button", { "class": "button quiet", type: "button", onclick: showTitle }, ["Back"])])
    ])]);
    announce("Choose who you are. " + story.characters.size + " characters.");
  }

  function begin(character) {
    history = [rt.start(story, character)];
    autosave();
    showCurrent();
  }

  // ---- chapters (game/classroom/historical.py) -----------------------------------------------

  /** Each character's documented historical run, or why he has none. */
  function historicalRuns() {
    var runs = new Map();
    story.characters.forEach(function (c, id) {
      try { runs.set(id, rt.historicalRun(story, id)); } catch (e) { runs.set(id, e.message); }
    });
    return runs;
  }

  function hasChapters() {
    return story.aids.chapters.length > 0 && story.aids.paths.size > 0;
  }

  /** Chapter select: choose the man and the year; the run begins from his historical path
   *  replayed to the chapter's first scene, and undo walks back along it. */
  function showChapters() {
    var runs = historicalRuns();
    var years = story.aids.chapters;
    var ids = Array.from(story.characters.keys());
    var chosen = ids.filter(function (id) { return Array.isArray(runs.get(id)); })[0] || ids[0];
    var year = years[0];
    function firstOf(id, y) {
      var run = runs.get(id);
      if (!Array.isArray(run)) return null;
      for (var i = 0; i < run.length; i++) if (story.scenes.get(run[i].scene).chapter === y) return run[i];
      return null;
    }
    var who = el("fieldset", { "class": "pick people" }, [el("legend", { text: "Who" })]);
    ids.forEach(function (id) {
      var c = story.characters.get(id);
      var ok = Array.isArray(runs.get(id));
      var input = el("input", { type: "radio", name: "chapter-who", id: "chapter-who-" + id, value: id,
        checked: id === chosen ? true : null, disabled: ok ? null : true,
        onchange: function () { chosen = id; update(); } });
      who.appendChild(el("label", { "class": "option", "for": "chapter-who-" + id }, [input,
        el("span", { "class": "what" }, [el("strong", { text: c.name }),
          el("span", { "class": "meta", text: ok ? c.title : story.aids.paths.has(id) ? "His historical path no longer fits this story"
            : "No documented historical path in this story" })])]));
    });
    var yearBox = el("fieldset", { "class": "pick years" }, [el("legend", { text: "Which year" })]);
    var yearParts = years.map(function (y) {
      var input = el("input", { type: "radio", name: "chapter-year", id: "chapter-year-" + y, value: String(y),
        checked: y === year ? true : null, onchange: function () { year = y; update(); } });
      var opens = el("span", { "class": "meta" });
      var events = story.aids.timeline.filter(function (e) { return e.date.slice(0, 4) === String(y); }).slice(0, 3)
        .map(function (e) { return e.title; });
      yearBox.appendChild(el("label", { "class": "option", "for": "chapter-year-" + y }, [input,
        el("span", { "class": "what" }, [el("strong", { "class": "year", text: String(y) }), opens,
          events.length ? el("span", { "class": "meta events", text: "Really: " + events.join("; ") + "." }) : null])]));
      return { year: y, input: input, opens: opens };
    });
    var go = el("button", { "class": "button primary", type: "submit" });
    var form = el("form", { "class": "chapters", onsubmit: function (ev) { ev.preventDefault(); beginChapter(chosen, year); } },
      [who, yearBox, el("p", { "class": "row" }, [go,
        el("button", { "class": "button quiet", type: "button", onclick: showTitle }, ["Back"])])]);
    function update() {
      var name = story.characters.get(chosen).name;
      yearParts.forEach(function (part) {
        var first = firstOf(chosen, part.year);
        part.input.disabled = first === null;
        var scene = first !== null ? story.scenes.get(first.scene) : null;
        part.opens.textContent = scene ? "Begins with “" + scene.title + "”" + (scene.when ? ", " + scene.when : "") + "."
          : "His historical path never reaches " + part.year + ".";
      });
      if (firstOf(chosen, year) === null) {
        var open = yearParts.filter(function (p) { return !p.input.disabled; })[0];
        if (open) { year = open.year; open.input.checked = true; }
      }
      go.textContent = "Begin " + year + " as " + name;
      go.disabled = firstOf(chosen, year) === null;
    }
    update();
    updateTools();
    show([el("div", { "class": "wide" }, [
      el("p", { "class": "kicker", text: "Chapters" }),
      el("h1", { text: "Begin where history stood" }),
      el("p", { "class": "lede", text: "Each chapter begins from the man's documented historical path, replayed to the chapter's " +
        "first scene, so the hidden forces are where history left them. Undo walks back along what he really did." }),
      form
    ])]);
    announce("Chapters. Choose who you are and the year to begin.");
  }

  function beginChapter(character, year) {
    var states;
    try {
      states = rt.chapterStart(story, character, year);
    } catch (e) {
      pendingMessage = "That chapter cannot be begun: " + e.message;
      showChapters();
      return;
    }
    history = states;
    autosave();
    var scene = story.scenes.get(current().scene);
    pendingMessage = "Chapter " + year + ", as " + story.characters.get(character).name + ": the run so far is his historical " +
      "path, from his start to “" + scene.title + "”" + (scene.when ? " (" + scene.when + ")" : "") + "; undo walks back along it.";
    showCurrent();
  }

  function showCurrent() {
    updateTools();
    var state = current();
    if (state.ending !== null) showEnding(state);
    else showScene(state);
  }

  function showScene(state) {
    var v = rt.view(story, state);
    var scene = v.scene;
    var nodes = [];
    if (pendingMessage) {
      nodes.push(el("p", { "class": "message", role: "status", text: pendingMessage }));
      pendingMessage = "";
    }
    if (v.reply) nodes.push(el("div", { "class": "reply" }, [el("span", { "class": "sr-only", text: "What happened: " }), paras(v.reply, "")]));
    var where = [scene.when, v.place].filter(Boolean);
    var kicker = el("p", { "class": "kicker" });
    where.forEach(function (w, i) {
      if (i) kicker.appendChild(el("span", { "class": "sep", "aria-hidden": "true", text: "/" }));
      kicker.appendChild(el("span", { text: w }));
    });
    nodes.push(kicker);
    nodes.push(el("h1", { text: scene.title }));
    if (scene.note.counterfactual) {
      nodes.push(el("p", { "class": "mark", text: "Counterfactual: this scene departs from what really happened" }));
    }
    nodes.push(paras(v.text));
    var choices = el("ol", { "class": "choices", "aria-label": "Your choices" });
    v.choices.forEach(function (c, i) {
      var n = i + 1;
      var lockId = "lock-" + n;
      var button = el("button", {
        "class": "choice", type: "button", "data-choice": c.id,
        "aria-disabled": c.enabled ? null : "true", "aria-describedby": c.enabled ? null : lockId,
        "aria-keyshortcuts": n <= 9 ? String(n) : null,
        onclick: function () { choose(c); }
      }, [el("span", { "class": "num", "aria-hidden": "true", text: String(n) }),
          el("span", { "class": "label" }, [c.text, c.enabled ? null : el("span", { "class": "lock", id: lockId, text: c.locked })])]);
      choices.appendChild(el("li", null, [button]));
    });
    var noteBox = null;
    if (v.note || scene.note.sources.length) {
      var sources = el("ul", { "class": "sources", "aria-label": "Sources" });
      scene.note.sources.forEach(function (s) { sources.appendChild(el("li", { text: s })); });
      noteBox = el("details", { "class": "note", id: "note", ontoggle: function () { if (this.open) noteOpened(state); } }, [
        el("summary", null, ["Historical note", scene.note.counterfactual ? " (counterfactual)" : ""]),
        el("div", { "class": "body" }, [
          scene.note.counterfactual ? el("p", null, [el("strong", { text: "This scene departs from what really happened." })]) : null,
          paras(v.note, "prose"), scene.note.sources.length ? sources : null])
      ]);
    }
    var article = el("article", { "class": "column enter", "aria-labelledby": "scene-title" }, nodes.concat([
      el("section", { "aria-label": "Choices" }, [choices]), noteBox,
      el("p", { "class": "keys" }, [el("kbd", { text: "1" }), "\u2013", el("kbd", { text: "9" }), " choose \u00b7 ",
        el("kbd", { text: "U" }), " undo \u00b7 ", el("kbd", { text: "N" }), " note \u00b7 ", el("kbd", { text: "G" }), " glossary \u00b7 ",
        el("kbd", { text: "L" }), " timeline \u00b7 ", el("kbd", { text: "?" }), " all keys"])
    ]));
    article.querySelector("h1").id = "scene-title";
    show([article]);
    var spoken = [v.reply, scene.title + ". " + where.join(", ") + ".", v.text].filter(Boolean).join("\n\n");
    announce(spoken);
    speak(spoken + "\n\n" + v.choices.map(function (c, i) {
      return (i + 1) + ". " + c.text + (c.enabled ? "" : " Locked: " + c.locked);
    }).join("\n"));
  }

  function choose(c) {
    if (!c.enabled) {
      announce("Locked: " + c.locked);
      return;
    }
    var next;
    try {
      next = rt.step(story, current(), c.id);
    } catch (e) {
      pendingMessage = "That choice could not be taken: " + e.message;
      showCurrent();
      return;
    }
    history.push(next);
    autosave();
    showCurrent();
  }

  function undo() {
    if (history.length < 2) {
      announce("Nothing to undo.");
      return;
    }
    history.pop();
    autosave();
    pendingMessage = "Undone: you are back before your last choice.";
    showCurrent();
  }

  function sparkline(values, low, high) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 100 30");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var span = high - low || 1;
    var pts = values.map(function (v, i) {
      var x = values.length > 1 ? (i / (values.length - 1)) * 100 : 50;
      return x.toFixed(1) + "," + (28 - ((v - low) / span) * 26).toFixed(1);
    });
    var base = document.createElementNS(ns, "line");
    base.setAttribute("x1", "0"); base.setAttribute("x2", "100"); base.setAttribute("y1", "29"); base.setAttribute("y2", "29");
    base.setAttribute("class", "spark-base");
    var line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", pts.join(" "));
    line.setAttribute("class", "spark-line");
    line.setAttribute("vector-effect", "non-scaling-stroke");
    svg.appendChild(base);
    svg.appendChild(line);
    return svg;
  }

  function showEnding(state) {
    var v = rt.view(story, state);
    var who = story.characters.get(state.character);
    var grid = el("ul", { "class": "forces", "aria-label": "The hidden forces" });
    rt.forces(story, state).forEach(function (f, i) {
      var moved = el("ul", { "class": "moves" });
      f.topMoves.forEach(function (m) {
        moved.appendChild(el("li", null, [
          el("span", { "class": "delta", text: (m.delta > 0 ? "+" : "\u2212") + Math.abs(m.delta) }),
          el("span", null, [m.choiceText, el("span", { "class": "desc", text: m.sceneTitle })])]));
      });
      var change = f.end - f.start;
      grid.appendChild(el("li", { "class": "force", "aria-labelledby": "force-" + i }, [
        el("h3", { id: "force-" + i, text: f.name }),
        f.description ? el("p", { "class": "desc", text: f.description }) : null,
        el("p", { "class": "numbers" }, [
          el("span", { "class": "big", text: String(f.start) }), el("span", { "class": "arrow", "aria-hidden": "true", text: " \u2192 " }),
          el("span", { "class": "big", text: String(f.end) }),
          el("span", { "class": "sr-only", text: " (began at " + f.start + ", ended at " + f.end + ")" }),
          el("span", { "class": "range", text: "of " + f.low + "\u2013" + f.high + (change ? ", " + (change > 0 ? "up " : "down ") + Math.abs(change) : ", unchanged") })]),
        sparkline(f.values, f.low, f.high),
        f.topMoves.length ? el("p", { "class": "moved", text: "Moved most by" }) : el("p", { "class": "moved", text: "No choice moved it." }),
        f.topMoves.length ? moved : null
      ]));
    });
    var nodes = [];
    if (pendingMessage) { nodes.push(el("p", { "class": "message", role: "status", text: pendingMessage })); pendingMessage = ""; }
    if (v.reply) nodes.push(el("div", { "class": "reply" }, [paras(v.reply, "")]));
    nodes.push(el("p", { "class": "kicker", text: v.scene.when + (v.place ? " / " + v.place : "") }));
    nodes.push(el("h2", { "class": "scene-end", text: v.scene.title }));
    nodes.push(paras(v.text));
    nodes.push(el("p", { "class": "kicker", text: "The end \u00b7 played as " + who.name }));
    nodes.push(el("h1", { "class": "the-end", text: v.ending.title }));
    nodes.push(paras(v.endingText));
    var why = rt.explain(story, state);
    if (why !== null && why.paragraphs.length) {
      var whyBox = el("div", { "class": "prose" });
      why.paragraphs.forEach(function (p) { whyBox.appendChild(el("p", { text: p })); });
      nodes.push(el("section", { "class": "why", "aria-labelledby": "h-why" }, [el("h2", { id: "h-why", text: rt.WHY_HEADING }), whyBox]));
    }
    if (v.epilogue) nodes.push(el("section", { "aria-labelledby": "h-after" }, [el("h2", { id: "h-after", text: "Afterwards" }), paras(v.epilogue)]));
    nodes.push(el("section", { "class": "forces-box", "aria-labelledby": "h-forces" }, [el("h2", { id: "h-forces", text: "The hidden forces" }),
      el("p", { text: "What your choices moved, out of sight, from the first scene to the last." }), grid]));
    if (v.history) nodes.push(el("section", { "aria-labelledby": "h-history" }, [el("h2", { id: "h-history", text: "What really happened" }), paras(v.history)]));
    var real = rt.realParagraphs(story, state);
    nodes.push(el("section", { "class": "real-teaser", "aria-labelledby": "h-real" }, [el("h2", { id: "h-real", text: rt.REAL_HEADING }),
      el("p", { text: real[0][1] }),
      el("p", null, [el("button", { "class": "button", type: "button", id: "open-real", onclick: function () { showReal(state); } },
        ["Read it, turn by turn"])])]));
    nodes.push(el("p", { "class": "row" }, [
      el("button", { "class": "button primary", type: "button", onclick: openTranscript }, ["Download the transcript"]),
      el("button", { "class": "button", type: "button", onclick: showCharacters }, ["Play again"]),
      el("button", { "class": "button quiet", type: "button", onclick: undo }, ["Undo the last choice"]),
      el("button", { "class": "button quiet", type: "button", onclick: showTitle }, ["Main menu"])
    ]));
    var article = el("article", { "class": "column enter" }, nodes);
    show([article]);
    // The ending heading is the one to land on (the scene's own title is an h2 above it).
    var h = article.querySelector("h1");
    h.setAttribute("tabindex", "-1");
    h.focus({ preventScroll: true });
    var spoken = "The end: " + v.ending.title + ". " + v.endingText;
    announce([v.reply, v.text, spoken].filter(Boolean).join("\n\n"));
    speak([v.reply, v.text, spoken, v.epilogue].filter(Boolean).join("\n\n"));
  }

  /** "What in your story was real?" (game/classroom/real.py): each turn the run took away
   *  from history, what really happened instead, and where to read about it. */
  function showReal(state) {
    var who = story.characters.get(state.character);
    var nodes = [el("p", { "class": "kicker", text: "After the ending \u00b7 played as " + who.name }), el("h1", { text: rt.REAL_HEADING })];
    var box = null;
    rt.realParagraphs(story, state).forEach(function (piece) {
      var kind = piece[0], text = piece[1];
      if (kind === "turn" || kind === "heading") {
        box = el("section", { "class": kind === "turn" ? "turn" : "odds" }, [el("h2", { text: text })]);
        nodes.push(box);
        return;
      }
      var p = el("p", { "class": kind === "text" ? null : kind, text: text });
      if (box) box.appendChild(p);
      else nodes.push(p);
    });
    nodes.push(el("p", { "class": "row" }, [
      el("button", { "class": "button primary", type: "button", onclick: openTranscript }, ["Download the transcript"]),
      el("button", { "class": "button", type: "button", onclick: function () { showCurrent(); } }, ["Back to the ending"]),
      el("button", { "class": "button quiet", type: "button", onclick: showCharacters }, ["Play again"]),
      el("button", { "class": "button quiet", type: "button", onclick: showTitle }, ["Main menu"])
    ]));
    updateTools();
    show([el("article", { "class": "column enter real" }, nodes)]);
    announce(rt.REAL_HEADING + " " + nodes[2].textContent);
    speak(nodes.slice(1, -1).map(function (n) { return n.textContent; }).join("\n\n"));
  }

  // ---- dialogs ----------------------------------------------------------------------------------

  var dialog = null;
  var dialogReturn = null;

  /** A modal window; focus goes to its first control, or to its heading when ``atHeading``
   *  (for windows read from the top, whose first control comes after text). */
  function openDialog(title, content, id, atHeading) {
    closeDialog();
    dialogReturn = document.activeElement;
    var headingId = "dlg-" + id;
    var box = el("div", { "class": "content" }, content);
    dialog = el("dialog", { "aria-labelledby": headingId, id: "dialog-" + id }, [
      el("div", { "class": "head" }, [el("h2", { id: headingId, text: title }),
        el("button", { "class": "button close", type: "button", onclick: closeDialog }, ["Close"])]),
      box
    ]);
    dialog.addEventListener("close", function () {
      if (dialog && dialog.parentNode) dialog.parentNode.removeChild(dialog);
      dialog = null;
      if (dialogReturn && document.body.contains(dialogReturn)) dialogReturn.focus();
    });
    document.body.appendChild(dialog);
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
    var first = box.querySelector("input, select, button, summary");
    if (atHeading) {
      var h = dialog.querySelector("h2");
      h.setAttribute("tabindex", "-1");
      h.focus();
    } else if (first) first.focus();
    return box;
  }

  function closeDialog() {
    if (!dialog) return;
    if (typeof dialog.close === "function" && dialog.open) dialog.close();
    else {
      if (dialog.parentNode) dialog.parentNode.removeChild(dialog);
      dialog = null;
    }
  }

  function openJournal() {
    if (!history.length) return;
    var list = el("ol", { "class": "journal" });
    var states = history;
    var path = rt.pathOf(current());
    path.forEach(function (p, i) {
      var scene = story.scenes.get(p[0]);
      list.appendChild(el("li", null, [
        el("strong", { text: scene.title }),
        el("span", { "class": "when", text: [scene.when, rt.view(story, states[i]).place].filter(Boolean).join(", ") }),
        p[1] === rt.CONTINUE ? "(continued)" : "You chose: " + rt.choiceText(story, states[i], p[1])
      ]));
    });
    var now = story.scenes.get(current().scene);
    openDialog("Journal", [
      path.length ? list : el("p", { text: "No choices yet." }),
      el("p", null, [el("strong", { text: "Now: " }), now.title + " (" + now.when + ")"])
    ], "journal");
  }

  // ---- reading aids: the glossary and the timeline (game/classroom/glossary.py, timeline.py) ----

  var KIND_NAMES = { person: "People", term: "Terms", place: "Places" };

  function entryItem(e) {
    return el("div", { "class": "entry" }, [
      el("dt", null, [el("strong", { text: e.heading }), e.dates ? el("span", { "class": "dates", text: ", " + e.dates }) : null]),
      el("dd", { text: e.text })]);
  }

  function openGlossary() {
    var entries = story.aids.glossary;
    if (!entries.length) { openDialog("Glossary", [el("p", { text: "This story has no glossary." })], "glossary"); return; }
    var here = history.length && current().ending === null ? rt.entriesInScene(story, current()) : [];
    var hereBox = null;
    if (here.length) {
      var list = el("dl", { "class": "glossary" });
      here.forEach(function (e) { list.appendChild(entryItem(e)); });
      hereBox = el("section", { "aria-labelledby": "gl-here" }, [el("h3", { id: "gl-here", text: "In this scene" }), list]);
    }
    var find = el("input", { type: "search", id: "glossary-find", autocomplete: "off", spellcheck: "false",
      "aria-describedby": "glossary-count", oninput: filter });
    var count = el("p", { "class": "hint", id: "glossary-count", role: "status" });
    var all = el("div", { id: "glossary-all" });
    var groups = ["person", "term", "place"].map(function (kind) {
      var items = entries.filter(function (e) { return e.kind === kind; })
        .sort(function (a, b) { return a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0; })
        .map(function (e) {
          var node = entryItem(e);
          return { node: node, words: e.forms.concat([e.heading]).map(function (x) { return x.toLowerCase(); }) };
        });
      var dl = el("dl", { "class": "glossary" });
      items.forEach(function (i) { dl.appendChild(i.node); });
      var section = el("section", { "aria-labelledby": "gl-" + kind }, [el("h4", { id: "gl-" + kind, text: KIND_NAMES[kind] }), dl]);
      if (items.length) all.appendChild(section);
      return { section: section, items: items };
    });
    function filter() {
      var q = find.value.replace(/\s+/g, " ").trim().toLowerCase();
      var shown = 0;
      groups.forEach(function (g) {
        var any = false;
        g.items.forEach(function (i) {
          var ok = !q || i.words.some(function (w) { return w.indexOf(q) >= 0; });
          i.node.hidden = !ok;
          if (ok) { any = true; shown++; }
        });
        g.section.hidden = !any;
      });
      if (hereBox) hereBox.hidden = !!q;  // a search shows its results at once
      count.textContent = !q ? entries.length + " entries." : shown ? shown + (shown === 1 ? " entry" : " entries") + " for \u201c" + q + "\u201d."
        : "Nothing for \u201c" + q + "\u201d.";
    }
    filter();
    // The search first, then the names of this scene, then every entry by kind.
    var parts = [el("div", { "class": "field" }, [el("label", { "for": "glossary-find", text: "Find a name or term" }), find, count]),
      hereBox, el("h3", { text: here.length ? "Every name and term" : "Names and terms" }), all];
    openDialog("Glossary and who\u2019s who", parts, "glossary");
  }

  function openTimeline() {
    if (!history.length) return;
    var rows = rt.beside(story, history);
    var parts = [];
    if (!story.aids.timeline.length) parts.push(el("p", { text: "This story has no timeline of real events." }));
    if (rows.length) {
      parts.push(el("p", null, ["What really happened, beside your run, to " + rows[rows.length - 1].when + ". ",
        el("span", { "class": "legend real" }, ["Really"]), " events are history; ",
        el("span", { "class": "legend run" }, ["Your run"]), " is the scenes you played."]));
      var list = el("ol", { "class": "timeline", tabindex: "0", "aria-label": "Real events and your run, in date order" });
      var day = null, group = null;
      rows.forEach(function (r) {
        if (r.date !== day) {
          day = r.date;
          group = el("ul");
          list.appendChild(el("li", null, [el("p", { "class": "day", text: r.when }), group]));
        }
        var line = r.side === "real"
          ? [el("span", { "class": "side", text: "Really: " }), el("strong", { text: r.title + "." }), r.text ? " " + r.text : null]
          : [el("span", { "class": "side", text: "Your run: " }), el("strong", { text: r.title }),
             r.counterfactual ? el("span", { "class": "invented", text: " (invented by the game)" }) : null];
        group.appendChild(el("li", { "class": r.side }, line));
      });
      parts.push(list);
    }
    var box = openDialog("Timeline", parts, "timeline", true);
    var last = box.querySelector(".timeline > li:last-child");
    if (last) box.scrollTop = Math.max(0, last.offsetTop - box.clientHeight / 2);
  }

  // ---- the transcript (game/classroom/transcript.py: transcript_file) ------------------------

  var STUDENT_KEY = "lenins-testament/student";
  var NOTES_KEPT = 3000;
  var notesLog = [];

  /** A key for every prefix of the run's path (the empty one first), as game.classroom.reading
   *  keys its log: a note counts for a run when it was opened at a state its path passes. */
  function pathKeys(state) {
    var h1 = 0x811c9dc5 | 0, h2 = 0x2545f491 | 0;
    function key(n) { return ((h1 >>> 0).toString(16) + "-" + (h2 >>> 0).toString(16) + "-" + n); }
    var keys = [key(0)];
    rt.pathOf(state).forEach(function (p, n) {
      var text = p[0] + "\u0000" + p[1] + "\n";
      for (var i = 0; i < text.length; i++) {
        var c = text.charCodeAt(i);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
      }
      keys.push(key(n + 1));
    });
    return keys;
  }

  function loadNotes() {
    try {
      var doc = JSON.parse(store.get(PREFIX + "notes-opened") || "null");
      if (doc && doc.format === 1 && Array.isArray(doc.opened)) {
        notesLog = doc.opened.filter(function (e) {
          return Array.isArray(e) && e.length === 3 && e.every(function (x) { return typeof x === "string" && x.length <= 200; });
        }).slice(-NOTES_KEPT);
      }
    } catch (e) { notesLog = []; }
  }

  /** The student opened the note of ``state``'s scene (kept in this browser, never in the run). */
  function noteOpened(state) {
    var entry = [state.character, pathKeys(state).pop(), state.scene];
    if (notesLog.some(function (e) { return e[0] === entry[0] && e[1] === entry[1] && e[2] === entry[2]; })) return;
    notesLog.push(entry);
    notesLog = notesLog.slice(-NOTES_KEPT);
    store.set(PREFIX + "notes-opened", JSON.stringify({ format: 1, opened: notesLog }));
  }

  /** The scenes whose notes were opened on the way to ``state``. */
  function notesFor(state) {
    var keys = new Set(pathKeys(state));
    var out = [];
    notesLog.forEach(function (e) { if (e[0] === state.character && keys.has(e[1]) && out.indexOf(e[2]) < 0) out.push(e[2]); });
    return out;
  }

  function transcriptText(state, name) {
    return rt.transcriptFile(story, state, notesFor(state), new Date(), name);
  }

  function openTranscript() {
    if (!history.length) return;
    var state = current();
    var name = el("input", { type: "text", id: "student-name", maxlength: "80", autocomplete: "name",
      value: store.get(STUDENT_KEY) || "", "aria-describedby": "student-hint" });
    var status = el("p", { role: "status", "class": "sr-only" });
    var form = el("form", { onsubmit: function (ev) {
      ev.preventDefault();
      var written = rt.studentName(name.value);
      if (written) store.set(STUDENT_KEY, written);
      else store.remove(STUDENT_KEY);
      download(state.character + "-" + stamp(new Date()) + ".md", transcriptText(state, written), "text/markdown;charset=utf-8");
      status.className = "message";
      status.textContent = "The transcript is downloading" + (written ? ", with your name on it." : ", without a name: write it on the Student line before you hand it in.");
    } }, [
      el("div", { "class": "field" }, [el("label", { "for": "student-name", text: "Your name" }), name,
        el("p", { "class": "hint", id: "student-hint", text: "Written on the transcript's Student line for your teacher. " +
          "This browser remembers it for the next transcript; leave it empty on a shared computer." })]),
      el("p", null, [el("button", { "class": "button primary", type: "submit" }, ["Download the transcript"])])
    ]);
    var what = state.ending !== null
      ? "The whole run as a Markdown file: every scene and choice, the ending and why, the hidden forces, what really happened and what in your story was real, then a block of data for your teacher\u2019s class report."
      : "The run so far as a Markdown file: every scene and choice until now, then a block of data for your teacher\u2019s class report. Download it again at the ending for the whole run.";
    openDialog("Transcript", [el("p", { text: what }), form, status], "transcript");
  }

  function openSettings() {
    function check(label, key, hint) {
      var input = el("input", { type: "checkbox", id: "pref-" + key, checked: prefs[key] ? true : null,
        onchange: function () { prefs[key] = this.checked; savePrefs(); } });
      return el("div", { "class": "field" }, [el("label", { "class": "check", "for": "pref-" + key }, [input, label]),
        hint ? el("p", { "class": "hint", text: hint }) : null]);
    }
    function select(label, key, options, parse) {
      var s = el("select", { id: "pref-" + key, onchange: function () { prefs[key] = parse(this.value); savePrefs(); } });
      options.forEach(function (o) {
        s.appendChild(el("option", { value: String(o[0]), selected: String(prefs[key]) === String(o[0]) ? true : null, text: o[1] }));
      });
      return el("div", { "class": "field" }, [el("label", { "for": "pref-" + key, text: label }), s]);
    }
    var voice = window.speechSynthesis ? check("Read the story aloud (the browser's own voice)", "voice",
      "Each scene and its choices are spoken as they appear.") : null;
    openDialog("Settings", [
      select("Text size", "scale", [[0.9, "Smaller"], [1, "Normal"], [1.15, "Large"], [1.3, "Larger"], [1.5, "Largest"], [1.75, "Huge"]], parseFloat),
      select("Line spacing", "leading", [[1.45, "Tight"], [1.6, "Normal"], [1.9, "Relaxed"], [2.2, "Loose"]], parseFloat),
      check("High contrast", "contrast", "White and yellow on black."),
      check("Dyslexia-friendly font (OpenDyslexic)", "dyslexic", "Latin letters only; other scripts keep the usual font."),
      select("Motion", "motion", [["system", "As the system asks"], ["off", "Reduce motion"], ["on", "Allow motion"]], String),
      voice,
      el("p", null, [el("button", { "class": "button quiet", type: "button", onclick: function () {
        prefs = Object.assign({}, DEFAULT_PREFS); savePrefs(); openSettings();
      } }, ["Restore the defaults"])]),
      store.ok ? null : el("p", { "class": "message", text: "This browser does not keep settings or saves for this page. Download a save file to keep your place." })
    ], "settings");
  }

  function openAbout() {
    var licences = document.getElementById("licences");
    var parts = [
      el("p", { text: story.title + (story.version ? " (story version " + story.version + ")" : "") + "." }),
      el("p", { text: "The scenes are dated, and each carries a historical note with its sources. Scenes marked counterfactual depart from what happened; the rest follow it as closely as the sources allow." }),
      el("p", { text: "Everything runs in this page: no server, no network, no account. Saves stay in this browser unless you download them." })
    ];
    if (licences) {
      Array.prototype.forEach.call(licences.content.querySelectorAll("section"), function (s) {
        parts.push(el("details", null, [el("summary", { text: s.getAttribute("data-title") }),
          el("pre", { "class": "licence", text: s.textContent })]));
      });
    }
    openDialog("About", parts, "about");
  }

  function openHelp() {
    var rows = [["1 \u2013 9", "take that choice"], ["U", "undo the last choice"], ["N", "open or close the historical note"],
      ["J", "journal"], ["G", "glossary and who\u2019s who, this scene\u2019s names first"], ["L", "timeline: the real events beside your run"],
      ["S", "saves"], ["T", "transcript, with your name, to hand in"], [",", "settings"], ["M", "main menu"],
      ["Tab", "move between buttons"], ["Esc", "close a window"], ["?", "these keys"]];
    var dl = el("dl", { "class": "key-list" });
    rows.forEach(function (r) { dl.appendChild(el("dt", null, [el("kbd", { text: r[0] })])); dl.appendChild(el("dd", { text: r[1] })); });
    openDialog("Keys", [dl], "help");
  }

  // ---- saves ------------------------------------------------------------------------------------

  function savedKey(name) { return PREFIX + "save/" + name; }
  function autoKey(n) { return PREFIX + "autosave/" + n; }

  function describe(doc) {
    var who = story.characters.get(doc.character);
    var scene = doc.state && typeof doc.state.scene === "string" && story.scenes.get(doc.state.scene);
    return [who ? who.name : String(doc.character), scene ? scene.title : String(doc.scene_title || ""),
            typeof doc.saved_at === "string" ? doc.saved_at.replace("T", " ") : ""].filter(Boolean).join(" \u00b7 ");
  }

  function autosave() {
    if (!history.length) return;
    var text;
    try {
      text = rt.encode(rt.toDocument(story, current(), rt.AUTOSAVE_LABEL));
    } catch (e) {
      pendingMessage = "Not autosaved: " + e.message;
      return;
    }
    for (var n = AUTOSAVES; n > 1; n--) {
      var older = store.get(autoKey(n - 1));
      if (older !== null) store.set(autoKey(n), older);
    }
    var problem = store.set(autoKey(1), text);
    if (problem && store.ok) pendingMessage = "Not autosaved: " + problem + ".";
  }

  function latestAutosave() {
    var text = store.get(autoKey(1));
    if (text === null) return null;
    try {
      var doc = rt.readDocument(text, "the autosave");
      if (doc.story && doc.story.id === story.id && story.characters.has(doc.character)) return { doc: doc, info: describe(doc) };
    } catch (e) { /* a damaged autosave is listed in the saves window */ }
    return null;
  }

  function restore(doc, name) {
    var loaded;
    try {
      loaded = rt.loadDocument(story, doc, name);
    } catch (e) {
      return e.message;
    }
    history = rt.statesOf(story, loaded.state);
    pendingMessage = loaded.problem || "Restored " + name + ".";
    closeDialog();
    autosave();
    showCurrent();
    return "";
  }

  function download(filename, text, type) {
    var blob = new Blob([text], { type: type });
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: filename });
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 4000);
  }

  function slug(text) {
    return String(text).toLowerCase().replace(/[^a-z0-9\u00c0-\u024f\u0400-\u04ff]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "save";
  }

  function stamp(d) {
    function p(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + p(d.getMonth() + 1) + p(d.getDate()) + "-" + p(d.getHours()) + p(d.getMinutes()) + p(d.getSeconds());
  }


  function openSaves(message) {
    var box;
    var status = el("p", { role: "status", "class": typeof message === "string" && message ? "message" : "sr-only", text: typeof message === "string" ? message : "" });
    var parts = [status];
    if (history.length) {
      var name = el("input", { type: "text", id: "save-name", maxlength: "80", autocomplete: "off",
        value: story.scenes.get(current().scene).title });
      var form = el("form", { onsubmit: function (ev) {
        ev.preventDefault();
        var label = name.value.trim();
        if (!label) { openSaves("Give the save a name."); return; }
        if (/^autosave/i.test(label)) { openSaves("Names beginning with 'autosave' are kept for the game's own saves."); return; }
        var text;
        try { text = rt.encode(rt.toDocument(story, current(), label)); } catch (e) { openSaves(e.message); return; }
        var problem = store.set(savedKey(label), text);
        openSaves(problem ? "Not saved: " + problem + "." : "Saved as \u201c" + label + "\u201d.");
      } }, [
        el("div", { "class": "field" }, [el("label", { "for": "save-name", text: "Save this run as" }),
          el("div", { "class": "row" }, [name, el("button", { "class": "button primary", type: "submit" }, ["Save"]),
            el("button", { "class": "button", type: "button", onclick: function () {
              try {
                var label = name.value.trim() || "save";
                download(slug(label) + ".json", rt.encode(rt.toDocument(story, current(), label)), "application/json");
                status.textContent = "The save file is downloading.";
              } catch (e) { openSaves(e.message); }
            } }, ["Download a save file"])])])
      ]);
      parts.push(form);
    }
    var list = el("ul", { "class": "saves", "aria-label": "Saves in this browser" });
    var entries = [];
    for (var n = 1; n <= AUTOSAVES; n++) entries.push({ key: autoKey(n), name: n === 1 ? "Autosave (latest)" : "Autosave " + n, auto: true });
    store.keys(PREFIX + "save/").sort().forEach(function (k) { entries.push({ key: k, name: k.slice((PREFIX + "save/").length), auto: false }); });
    var shown = 0;
    entries.forEach(function (entry) {
      var text = store.get(entry.key);
      if (text === null) return;
      shown++;
      var doc = null, problem = "";
      try { doc = rt.readDocument(text, entry.name); } catch (e) { problem = e.message; }
      var buttons = el("div", { "class": "row" });
      if (doc) {
        buttons.appendChild(el("button", { "class": "button primary", type: "button", onclick: function () {
          var p = restore(doc, "\u201c" + entry.name + "\u201d");
          if (p) openSaves(p);
        } }, ["Load"]));
        buttons.appendChild(el("button", { "class": "button", type: "button", onclick: function () {
          download(slug(entry.name) + ".json", text, "application/json");
        } }, ["Download"]));
      }
      if (!entry.auto || !doc) {
        buttons.appendChild(el("button", { "class": "button quiet", type: "button", onclick: function () {
          if (window.confirm("Delete the save \u201c" + entry.name + "\u201d?")) { store.remove(entry.key); openSaves("Deleted \u201c" + entry.name + "\u201d."); }
        } }, ["Delete"]));
      }
      list.appendChild(el("li", null, [
        el("p", { "class": "what" }, [el("strong", { text: entry.name }),
          doc ? el("span", { "class": "meta", text: describe(doc) }) : el("span", { "class": "meta damaged", text: problem })]),
        buttons
      ]));
    });
    parts.push(el("h3", { text: "Saves in this browser" }));
    parts.push(shown ? list : el("p", { text: store.ok ? "None yet." : "This browser keeps no saves for this page; download a save file to keep your place." }));
    var file = el("input", { type: "file", id: "save-file", accept: ".json,application/json", onchange: function () {
      var f = this.files && this.files[0];
      if (!f) return;
      if (f.size > rt.MAX_SAVE_BYTES) {
        openSaves(f.name + ": not a readable save: too large to be a save (" + f.size.toLocaleString("en-US") +
                  " bytes; a save is at most " + (rt.MAX_SAVE_BYTES / (1024 * 1024)) + " MB)");
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        var doc;  // read as game/saves.py reads a file: its bytes, as UTF-8, by Python's JSON rules
        try { doc = rt.readSaveBytes(new Uint8Array(reader.result), f.name); } catch (e) { openSaves(e.message); return; }
        var p = restore(doc, f.name);
        if (p) openSaves(p);
      };
      reader.onerror = function () { openSaves(f.name + ": could not be read."); };
      reader.readAsArrayBuffer(f);
    } });
    parts.push(el("div", { "class": "field" }, [el("label", { "for": "save-file", text: "Load a save file" }), file,
      el("p", { "class": "hint", text: "A file downloaded here, or a save from the desktop game (its saves folder)." })]));
    box = openDialog("Saves", parts, "saves");
    return box;
  }

  // ---- keys ----------------------------------------------------------------------------------------

  function onKey(ev) {
    if (dialog || ev.altKey || ev.metaKey) return;
    var t = ev.target;
    var typing = t && t.tagName === "INPUT" && !/^(radio|checkbox|button|submit)$/.test(t.type);  // a radio takes the keys too
    if (t && (typing || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    if (ev.ctrlKey) {
      if (ev.key === "z" && history.length > 1) { ev.preventDefault(); undo(); }
      return;
    }
    var key = ev.key;
    var playing = history.length > 0 && main.querySelector(".choices");
    if (/^[1-9]$/.test(key) && playing) {
      var buttons = main.querySelectorAll(".choice");
      var b = buttons[Number(key) - 1];
      if (b) { ev.preventDefault(); b.focus(); b.click(); }
      return;
    }
    var lower = key.length === 1 ? key.toLowerCase() : key;
    if (lower === "n") {
      var note = document.getElementById("note");
      if (note) { ev.preventDefault(); note.open = !note.open; note.querySelector("summary").focus(); }
      return;
    }
    if (lower === "?") { ev.preventDefault(); openHelp(); return; }
    TOOLS.forEach(function (tool) {
      if (tool.key.toLowerCase() === lower) {
        if (tool.inGame && !history.length) return;
        ev.preventDefault();
        tool.run();
      }
    });
  }

  // ---- start ----------------------------------------------------------------------------------------

  function fatal(message) {
    clear(main);
    main.appendChild(el("div", { "class": "column" }, [el("h1", { text: "This page cannot start" }), el("p", { "class": "message", text: message })]));
  }

  function boot() {
    main = document.getElementById("main");
    live = document.getElementById("live");
    loadPrefs();
    try {
      story = rt.loadStory(document.getElementById("story-data").textContent);
    } catch (e) {
      fatal(e.message);
      return;
    }
    PREFIX = "lenins-testament/" + story.id + "/";
    loadNotes();
    document.title = story.title;
    buildChrome();
    document.addEventListener("keydown", onKey);
    var auto = latestAutosave();
    showTitle();
    window.TestamentApp = { story: story, history: function () { return history; }, ready: true, hasAutosave: !!auto,
      notes: function () { return notesFor(current()); },
      transcriptFile: function (name) { return transcriptText(current(), name || ""); } };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
