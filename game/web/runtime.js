/*
 * Lenin's Testament: the play rules in JavaScript, for the browser.
 *
 * A port of game/engine/play.py (start, view, available, step, replay), of Effect.apply
 * and Text.render in game/engine/model.py, of the compiled conditions of
 * game/engine/expr.py, and of the run's derived documents: the forces
 * (game/classroom/forces.py), the transcript (game/classroom/transcript.py) and the save
 * document (game/saves.py). The Python engine is the reference; tests/web/test_parity.py
 * replays thousands of seeded runs through both and compares every state and view.
 *
 * It reads the JSON that `testament export-web` writes after `check` (game/web/export.py)
 * and knows nothing of pages: it runs as a classic <script> (window.TestamentRuntime)
 * and under node (module.exports).
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.TestamentRuntime = api;
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";

  var FORMAT = "lenins-testament-story";
  var FORMAT_VERSION = 2;
  var CONTINUE = "-continue";
  var SAVE_FORMAT = 1;
  var MAX_SAVE_BYTES = 4 * 1024 * 1024;
  var AUTOSAVE_LABEL = "Autosave";

  /** An exception class named as the Python one it stands for: X(message) makes one, instanceof X catches it. */
  function errorClass(name) {
    function PyError(message) {
      var e = new Error(message);
      e.name = name;
      Object.setPrototypeOf(e, PyError.prototype);
      return e;
    }
    Object.defineProperty(PyError, "name", {value: name});
    PyError.prototype = Object.create(Error.prototype);
    PyError.prototype.constructor = PyError;
    return PyError;
  }

  var StepError = errorClass("StepError");
  var SaveError = errorClass("SaveError");

  // ---- Python's string functions ------------------------------------------------------
  // Python's whitespace (str.isspace) differs from JavaScript's \s: it has \x1c-\x1f and
  // \x85, and not \ufeff. strip() and split() must use Python's.
  var WS = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var STRIP = new RegExp("^[" + WS + "]+|[" + WS + "]+$", "g");
  var SPLIT = new RegExp("[" + WS + "]+");
  var RSTRIP = new RegExp("[" + WS + "]+$");

  function pyStrip(s) { return s.replace(STRIP, ""); }
  function pySplit(s) { return pyStrip(s).split(SPLIT).filter(function (x) { return x !== ""; }); }

  /** Python's round() of a float to an int: halves go to the even neighbour. */
  function pyRound(x) {
    var r = Math.round(x);          // halves towards +infinity
    if (r - x === 0.5 && r % 2 !== 0) r -= 1;
    return r === 0 ? 0 : r;         // never -0
  }

  // ---- conditions -----------------------------------------------------------------------

  var COMPARE = {
    "==": function (a, b) { return a === b; },
    "!=": function (a, b) { return a !== b; },
    "<": function (a, b) { return a < b; },
    "<=": function (a, b) { return a <= b; },
    ">": function (a, b) { return a > b; },
    ">=": function (a, b) { return a >= b; }
  };

  /** A tree from the export as a closure over a state (character, values, flags, visits). */
  function compileNode(n) {
    var kind = n[0];
    switch (kind) {
      case "num": case "str": case "bool": {
        var value = n[1];
        return function () { return value; };
      }
      case "var": {
        var index = n[1];
        return function (s) { return s.values[index]; };
      }
      case "flag": {
        var name = n[1];
        return function (s) { return s.flags.has(name); };
      }
      case "character":
        return function (s) { return s.character; };
      case "visits": {
        var scene = n[1];
        return function (s) { return s.visits.get(scene) || 0; };
      }
      case "not": {
        var inner = compileNode(n[1]);
        return function (s) { return !inner(s); };
      }
    }
    if (n.length !== 3) throw new Error("unknown expression node " + JSON.stringify(n));
    var left = compileNode(n[1]), right = compileNode(n[2]);
    switch (kind) {
      case "and": return function (s) { return left(s) && right(s); };
      case "or": return function (s) { return left(s) || right(s); };
      case "+": return function (s) { return left(s) + right(s); };
      case "-": return function (s) { return left(s) - right(s); };
    }
    var fn = COMPARE[kind];
    if (!fn) throw new Error("unknown expression node " + JSON.stringify(n));
    return function (s) { return fn(left(s), right(s)); };
  }

  function compileCondition(c) {
    if (c === null || c === undefined) return null;
    var test = compileNode(c.tree);
    return { src: c.src, test: test, tree: c.tree };
  }

  // ---- texts ------------------------------------------------------------------------------

  function compileParts(parts) {
    return parts.map(function (p) {
      return typeof p === "string" ? p : { cond: compileCondition(p["if"]), then: p.then, otherwise: p["else"] };
    });
  }

  function compileBlocks(blocks) {
    return blocks.map(function (b) {
      return {
        parts: compileParts(b.parts),
        cond: compileCondition(b["if"]),
        onlyFor: b["for"] ? new Set(b["for"]) : null,
        otherwise: compileParts(b["else"] || [])
      };
    });
  }

  function compileText(t) {
    var by = new Map();
    if (t.by) Object.keys(t.by).forEach(function (k) { by.set(k, compileBlocks(t.by[k])); });
    return { joiner: t.joiner, blocks: compileBlocks(t["default"]), by: by };
  }

  function renderParts(parts, s) {
    var out = "";
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i];
      out += typeof p === "string" ? p : (p.cond.test(s) ? p.then : p.otherwise);
    }
    return out;
  }

  /** Text.render: the text as ``s`` shows it. */
  function render(text, s) {
    var blocks = text.by.has(s.character) ? text.by.get(s.character) : text.blocks;
    if (blocks.length === 1) {
      var b = blocks[0];
      if (b.cond === null && b.onlyFor === null && b.parts.length === 1 && typeof b.parts[0] === "string") return b.parts[0];
    }
    var shown = [];
    for (var i = 0; i < blocks.length; i++) {
      var bl = blocks[i];
      var applies = (bl.onlyFor === null || bl.onlyFor.has(s.character)) && (bl.cond === null || !!bl.cond.test(s));
      var piece = pyStrip(renderParts(applies ? bl.parts : bl.otherwise, s));
      if (piece) shown.push(piece);
    }
    return shown.join(text.joiner);
  }

  function hasText(text) { return text.blocks.length > 0 || text.by.size > 0; }

  // ---- the story --------------------------------------------------------------------------

  /** The exported JSON (object or string) as a story the functions below play. */
  function loadStory(data) {
    if (typeof data === "string") data = JSON.parse(data);
    if (!data || data.format !== FORMAT) throw new Error("this is not a story export of Lenin's Testament");
    if (data.version !== FORMAT_VERSION) {
      throw new Error("this story export has format version " + JSON.stringify(data.version) +
        "; this page plays version " + FORMAT_VERSION + " only. Export it again with the same version of the game.");
    }
    var scenes = new Map();
    data.scenes.forEach(function (s) {
      scenes.set(s.id, {
        id: s.id, title: s.title, date: s.date, when: s.when, month: s.month,
        place: compileText(s.place), text: compileText(s.text),
        note: { text: compileText(s.note.text), sources: s.note.sources, counterfactual: s.note.counterfactual },
        onlyFor: s["for"] ? new Set(s["for"]) : null,
        fallback: s.fallback, resolve: s.resolve, chapter: s.chapter,
        choices: s.choices.map(function (c) {
          return {
            id: c.id, text: compileText(c.text), cond: compileCondition(c["if"]), locked: compileText(c.locked),
            once: c.once, onlyFor: c["for"] ? new Set(c["for"]) : null, effects: c.effects,
            set: c.set, clear: c.clear, reply: compileText(c.reply),
            goto: c.goto.map(function (b) { return { to: b.to, cond: compileCondition(b["if"]) }; })
          };
        })
      });
    });
    var characters = new Map();
    data.characters.forEach(function (c) { characters.set(c.id, c); });
    return {
      id: data.story.id, title: data.story.title, version: data.story.version, mods: data.story.mods,
      flagWords: data.flag_words || {},
      variables: data.variables, characters: characters, scenes: scenes,
      aids: {
        glossary: data.aids.glossary.map(compileEntry),
        timeline: data.aids.timeline,
        paths: new Map(Object.keys(data.aids.paths).map(function (k) { return [k, data.aids.paths[k]]; })),
        debrief: data.aids.debrief,
        chapters: data.aids.chapters
      },
      endings: data.endings.map(function (e) {
        return { id: e.id, title: e.title, text: compileText(e.text), epilogue: compileText(e.epilogue),
                 history: compileText(e.history), cond: compileCondition(e["if"]) };
      })
    };
  }

  function findChoice(scene, id) {
    for (var i = 0; i < scene.choices.length; i++) if (scene.choices[i].id === id) return scene.choices[i];
    return null;
  }

  function endingById(story, id) {
    for (var i = 0; i < story.endings.length; i++) if (story.endings[i].id === id) return story.endings[i];
    return null;
  }

  // ---- play -------------------------------------------------------------------------------
  // A state is an immutable object: character, scene, values (array), flags (Set), visits
  // (Map), taken (Set of "scene\u0000choice"), path (a linked list of steps, shared with the
  // state before, as Python's Trail), ending (id or null), reply.

  function makeState(character, scene, values, flags, visits, taken, path, ending, reply) {
    return Object.freeze({ character: character, scene: scene, values: values, flags: flags, visits: visits,
                           taken: taken, path: path, ending: ending, reply: reply });
  }

  function pathThen(path, scene, choice) {
    return { prev: path, scene: scene, choice: choice, length: path ? path.length + 1 : 1 };
  }

  /** The run's path as an array of [scene id, choice id]. */
  function pathOf(state) {
    var out = new Array(state.path ? state.path.length : 0);
    for (var p = state.path, i = out.length - 1; p; p = p.prev, i--) out[i] = [p.scene, p.choice];
    return out;
  }

  function pathLength(state) { return state.path ? state.path.length : 0; }

  function takenKey(scene, choice) { return scene + "\u0000" + choice; }

  function start(story, character) {
    if (!story.characters.has(character)) {
      throw StepError("no character '" + character + "' in this story; choose from " + Array.from(story.characters.keys()).join(", "));
    }
    var who = story.characters.get(character);
    var values = story.variables.map(function (v) {
      return Object.prototype.hasOwnProperty.call(who.values, v.id) ? who.values[v.id] : v.start;
    });
    var visits = new Map([[who.start, 1]]);
    var flags = new Set(who.flags);
    var ending = null;
    if (story.scenes.get(who.start).resolve) {
      ending = endingFor(story, { character: character, values: values, flags: flags, visits: visits });
    }
    return makeState(character, who.start, values, flags, visits, new Set(), null, ending, "");
  }

  function offered(story, state, scene) {
    var out = [];
    for (var i = 0; i < scene.choices.length; i++) {
      var c = scene.choices[i];
      if (c.onlyFor !== null && !c.onlyFor.has(state.character)) continue;
      if (c.once && state.taken.has(takenKey(scene.id, c.id))) continue;
      if (c.cond !== null && !c.cond.test(state)) {
        if (hasText(c.locked)) out.push([c, false]);
        continue;
      }
      out.push([c, true]);
    }
    return out;
  }

  /** What a front end shows: every text already rendered for this run. */
  function view(story, state) {
    var scene = story.scenes.get(state.scene);
    var ending = state.ending !== null ? endingById(story, state.ending) : null;
    var v = {
      scene: scene, text: render(scene.text, state), choices: [], ending: ending, reply: state.reply,
      place: render(scene.place, state), note: render(scene.note.text, state),
      endingText: "", epilogue: "", history: ""
    };
    if (ending !== null) {
      v.endingText = render(ending.text, state);
      v.epilogue = render(ending.epilogue, state);
      v.history = render(ending.history, state);
      return v;
    }
    var any = false;
    offered(story, state, scene).forEach(function (pair) {
      var c = pair[0], ok = pair[1];
      any = any || ok;
      v.choices.push({ id: c.id, text: render(c.text, state), enabled: ok, locked: ok ? "" : render(c.locked, state) });
    });
    if (!any) v.choices.push({ id: CONTINUE, text: "Continue.", enabled: true, locked: "" });
    return v;
  }

  function choiceText(story, state, choiceId) {
    if (choiceId === CONTINUE) return "Continue.";
    var c = findChoice(story.scenes.get(state.scene), choiceId);
    return c !== null ? render(c.text, state) : choiceId;
  }

  function available(story, state) {
    if (state.ending !== null) return [];
    var scene = story.scenes.get(state.scene);
    var ids = [];
    for (var i = 0; i < scene.choices.length; i++) {
      var c = scene.choices[i];
      if ((c.onlyFor === null || c.onlyFor.has(state.character)) &&
          !(c.once && state.taken.has(takenKey(scene.id, c.id))) &&
          (c.cond === null || c.cond.test(state))) ids.push(c.id);
    }
    return ids.length ? ids : [CONTINUE];
  }

  /** Effect.apply: ``op`` is "+" (add), "=" (set) or "%" (fair), clamped to [low, high]. */
  function applyEffect(op, amount, value, low, high) {
    if (op === "+") value += amount;
    else if (op === "=") value = amount;
    else if (amount >= 0) value += pyRound((high - value) * amount / 100);
    else value += pyRound((value - low) * amount / 100);
    return value < low ? low : value > high ? high : value;
  }

  function step(story, state, choiceId) {
    if (state.ending !== null) throw StepError("the story has ended");
    var scene = story.scenes.get(state.scene);
    if (choiceId === CONTINUE) {
      if (offered(story, state, scene).some(function (p) { return p[1]; })) {
        throw StepError("scene '" + scene.id + "' still has choices to take");
      }
      if (scene.fallback === null) throw StepError("scene '" + scene.id + "' offers nothing and declares no fallback");
      return enter(story, state, scene.fallback, state.values, state.flags, state.taken,
                   pathThen(state.path, scene.id, CONTINUE), "");
    }
    var choice = findChoice(scene, choiceId);
    if (choice === null) throw StepError("scene '" + scene.id + "' has no choice '" + choiceId + "'");
    if ((choice.onlyFor !== null && !choice.onlyFor.has(state.character)) ||
        (choice.once && state.taken.has(takenKey(scene.id, choice.id))) ||
        (choice.cond !== null && !choice.cond.test(state))) {
      throw StepError("choice '" + choiceId + "' is not available in scene '" + scene.id + "' now");
    }
    var values = state.values;
    if (choice.effects.length) {
      values = values.slice();
      for (var i = 0; i < choice.effects.length; i++) {
        var e = choice.effects[i], v = story.variables[e[0]];
        values[e[0]] = applyEffect(e[1], e[2], values[e[0]], v.min, v.max);
      }
    }
    var flags = state.flags;
    if (choice.set.length || choice.clear.length) {
      flags = new Set(flags);
      choice.set.forEach(function (f) { flags.add(f); });
      choice.clear.forEach(function (f) { flags["delete"](f); });
    }
    var taken = state.taken;
    if (choice.once) {
      taken = new Set(taken);
      taken.add(takenKey(scene.id, choice.id));
    }
    // The goto and the reply see the state as the choice left it (and the old visits).
    var probe = { character: state.character, values: values, flags: flags, visits: state.visits };
    var reply = hasText(choice.reply) ? render(choice.reply, probe) : "";
    var target = null;
    for (var j = 0; j < choice.goto.length; j++) {
      var b = choice.goto[j];
      if (b.cond === null || b.cond.test(probe)) { target = b.to; break; }
    }
    if (target === null) throw StepError("choice '" + choice.id + "' in scene '" + scene.id + "' leads nowhere in this state");
    return enter(story, state, target, values, flags, taken, pathThen(state.path, scene.id, choice.id), reply);
  }

  function enter(story, state, target, values, flags, taken, path, reply) {
    var visits = new Map(state.visits);
    visits.set(target, (visits.get(target) || 0) + 1);
    var ending = null;
    if (story.scenes.get(target).resolve) {
      ending = endingFor(story, { character: state.character, values: values, flags: flags, visits: visits });
    }
    return makeState(state.character, target, values, flags, visits, taken, path, ending, reply);
  }

  function endingFor(story, probe) {
    for (var i = 0; i < story.endings.length; i++) {
      var e = story.endings[i];
      if (e.cond === null || e.cond.test(probe)) return e.id;
    }
    throw StepError("no ending applies; the last ending must be unconditional");
  }

  /** Every state of ``state``'s run, from the start to ``state`` itself. */
  function statesOf(story, state) {
    var states = [start(story, state.character)];
    pathOf(state).forEach(function (p) { states.push(step(story, states[states.length - 1], p[1])); });
    return states;
  }

  function replay(story, character, path) {
    var state = start(story, character);
    for (var n = 0; n < path.length; n++) {
      var sceneId = path[n][0], choiceId = path[n][1];
      if (state.scene !== sceneId) {
        throw StepError("step " + (n + 1) + ": the story is at scene '" + state.scene + "', but the saved run was at '" + sceneId + "'");
      }
      try {
        state = step(story, state, choiceId);
      } catch (exc) {
        if (exc instanceof StepError) throw StepError("step " + (n + 1) + ": " + exc.message);
        throw exc;
      }
    }
    return state;
  }

  function namedValues(story, state) {
    var out = {};
    story.variables.forEach(function (v, i) { out[v.id] = state.values[i]; });
    return out;
  }

  // ---- forces (game/classroom/forces.py) ---------------------------------------------------

  function forces(story, state, top) {
    top = top === undefined ? 3 : top;
    var states = statesOf(story, state);
    var path = pathOf(state);
    return story.variables.map(function (v, index) {
      var series = states.map(function (s) { return s.values[index]; });
      var moves = [];
      path.forEach(function (p, k) {
        var n = k + 1, delta = series[n] - series[n - 1];
        if (delta) {
          moves.push({ step: n, sceneTitle: story.scenes.get(p[0]).title,
                       choiceText: choiceText(story, states[n - 1], p[1]), delta: delta });
        }
      });
      moves.sort(function (a, b) { return (Math.abs(b.delta) - Math.abs(a.delta)) || (a.step - b.step); });
      return { id: v.id, name: v.name, description: v.description, low: v.min, high: v.max,
               values: series, start: series[0], end: series[series.length - 1], topMoves: moves.slice(0, top) };
    });
  }

  // ---- why this ending (game/analysis/why.py) -------------------------------------------
  // Which force or act decided a finished run, and what the nearest other ending needed
  // that the run lacked. Trees are the export's: ["var", index], ["visits", scene], ...

  var WHY_HEADING = "Why this ending";
  var FLIP = { ">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "==" };
  var MIRROR = { ">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!=" };

  function need(kind, met, extra) {
    var n = { kind: kind, met: met, variables: [], signs: [], op: "", target: 0, had: 0, flag: "", scene: "", wanted: true };
    if (extra) Object.keys(extra).forEach(function (k) { n[k] = extra[k]; });
    return n;
  }

  function needKey(n) {
    return JSON.stringify([n.kind, n.met, n.variables, n.signs, n.op, n.target, n.had, n.flag, n.scene, n.wanted]);
  }

  function gap(n) {
    if (n.kind !== "force" || n.met) return 0;
    var t = n.target, h = n.had;
    return { ">=": t - h, ">": t + 1 - h, "<=": h - t, "<": h - t + 1, "==": Math.abs(h - t), "!=": 1 }[n.op];
  }

  function isKind(node, kinds) { return kinds.indexOf(node[0]) >= 0; }

  /** A sum of variables and numbers as [Map(variable id -> sign), constant]; null otherwise. */
  function linear(story, node) {
    if (node[0] === "num") return [new Map(), node[1]];
    if (node[0] === "var") return [new Map([[story.variables[node[1]].id, 1]]), 0];
    if (node[0] === "+" || node[0] === "-") {
      var left = linear(story, node[1]), right = linear(story, node[2]);
      if (left === null || right === null) return null;
      var sign = node[0] === "+" ? 1 : -1;
      var terms = new Map(left[0]);
      right[0].forEach(function (s, name) { terms.set(name, (terms.get(name) || 0) + sign * s); });
      var kept = new Map();
      terms.forEach(function (v, k) { if (v) kept.set(k, v); });
      return [kept, left[1] + sign * right[1]];
    }
    return null;
  }

  function value(node, state) {
    switch (node[0]) {
      case "num": case "str": case "bool": return node[1];
      case "var": return state.values[node[1]];
      case "character": return state.character;
      case "visits": return state.visits.get(node[1]) || 0;
      case "+": return value(node[1], state) + value(node[2], state);
      case "-": return value(node[1], state) - value(node[2], state);
    }
    throw new Error("cannot take the value of " + JSON.stringify(node));
  }

  function variableIndex(story, id) {
    for (var i = 0; i < story.variables.length; i++) if (story.variables[i].id === id) return i;
    return -1;
  }

  /** A comparison as a need; true/false for what no choice changes (the character). */
  function compareNeed(story, node, state, want) {
    var op = want ? node[0] : FLIP[node[0]];
    var holds = !!COMPARE[op](value(node[1], state), value(node[2], state));
    var sides = [node[1], node[2]];
    if (sides.some(function (x) { return isKind(x, ["character", "str", "bool"]); })) return holds;
    var pairs = [[node[1], node[2], op], [node[2], node[1], MIRROR[op]]];
    for (var i = 0; i < 2; i++) {
      var a = pairs[i][0], b = pairs[i][1], o = pairs[i][2];
      if (a[0] === "visits" && b[0] === "num") {
        var v = b[1];
        var visited = { ">": v < 1, ">=": v <= 1, "!=": v === 0, "==": v > 0, "<": v > 1, "<=": v >= 1 }[o];
        return need("road", holds, { scene: a[1], wanted: visited });
      }
    }
    var left = linear(story, node[1]), right = linear(story, node[2]);
    if (left === null || right === null) return holds;
    var terms = new Map(left[0]);
    right[0].forEach(function (s, name) { terms.set(name, (terms.get(name) || 0) - s); });
    var kept = new Map();
    terms.forEach(function (s, k) { if (s) kept.set(k, s); });
    if (!kept.size) return holds;
    var target = right[1] - left[1];
    var allNegative = true;
    kept.forEach(function (s) { if (s >= 0) allNegative = false; });
    if (allNegative) {
      kept.forEach(function (s, k) { kept.set(k, -s); });
      target = -target;
      op = MIRROR[op];
    }
    var names = Array.from(kept.keys());
    var signs = names.map(function (n) { return kept.get(n); });
    var had = 0;
    names.forEach(function (n, j) { had += signs[j] * state.values[variableIndex(story, n)]; });
    return need("force", holds, { variables: names, signs: signs, op: op, target: target, had: had });
  }

  function cost(needs) {
    var acts = 0, points = 0;
    needs.forEach(function (n) { if (n.kind !== "force") acts++; points += gap(n); });
    return [acts, points];
  }

  function lessThan(a, b) {
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
    return false;
  }

  /** The cheapest set of unmet requirements that would make ``node`` come out ``want``. */
  function missing(story, node, state, want) {
    if (want === undefined) want = true;
    if (node === null) return [];
    switch (node[0]) {
      case "bool": return node[1] === want ? [] : null;
      case "flag": return state.flags.has(node[1]) === want ? [] : [need("act", false, { flag: node[1], wanted: want })];
      case "not": return missing(story, node[1], state, !want);
      case "and": case "or": {
        var every = (node[0] === "and") === want;
        var parts = [missing(story, node[1], state, want), missing(story, node[2], state, want)];
        if (every) return parts[0] === null || parts[1] === null ? null : parts[0].concat(parts[1]);
        var options = parts.filter(function (p) { return p !== null; });
        if (!options.length) return null;
        var best = options[0];
        options.slice(1).forEach(function (o) { if (lessThan(cost(o), cost(best))) best = o; });
        return best;
      }
    }
    if (COMPARE[node[0]]) {
      var n = compareNeed(story, node, state, want);
      if (typeof n === "boolean") return n ? [] : null;
      return n.met ? [] : [n];
    }
    throw new Error("cannot explain " + JSON.stringify(node));
  }

  /** The requirements the state meets that make ``node`` come out ``want``. */
  function carried(story, node, state, want) {
    if (want === undefined) want = true;
    if (node === null || node[0] === "bool") return [];
    switch (node[0]) {
      case "flag": return [need("act", true, { flag: node[1], wanted: want })];
      case "not": return carried(story, node[1], state, !want);
      case "and": case "or": {
        var every = (node[0] === "and") === want;
        var out = [];
        var sides = [node[1], node[2]];
        for (var i = 0; i < 2; i++) {
          var m = missing(story, sides[i], state, want);
          if (m !== null && m.length === 0) {
            out = out.concat(carried(story, sides[i], state, want));
            if (!every) return out;
          }
        }
        return out;
      }
    }
    if (COMPARE[node[0]]) {
      var n = compareNeed(story, node, state, want);
      return typeof n === "boolean" ? [] : [n];
    }
    throw new Error("cannot explain " + JSON.stringify(node));
  }

  function treeOf(cond) { return cond ? cond.tree : null; }

  function visiting(state, scene, delta) {
    var visits = new Map(state.visits);
    visits.set(scene, Math.max(0, (visits.get(scene) || 0) + delta));
    return { character: state.character, values: state.values, flags: state.flags, visits: visits };
  }

  function takenArm(choice, probe) {
    for (var i = 0; i < choice.goto.length; i++) {
      var b = choice.goto[i];
      if (b.cond === null || b.cond.test(probe)) return i;
    }
    return choice.goto.length - 1;
  }

  function endingAt(story, probe) {
    for (var i = 0; i < story.endings.length; i++) {
      var e = story.endings[i];
      if (e.cond === null || e.cond.test(probe)) return e.id;
    }
    return null;
  }

  function unique(needs) {
    var seen = new Set(), out = [];
    needs.forEach(function (n) { var k = needKey(n); if (!seen.has(k)) { seen.add(k); out.push(n); } });
    return out;
  }

  function alternative(ending, title, needs, at, instead) {
    var acts = 0, points = 0;
    needs.forEach(function (n) { if (n.kind !== "force") acts++; points += gap(n); });
    return { ending: ending, title: title, needs: needs, at: at === undefined ? null : at, instead: instead || "", acts: acts, points: points };
  }

  function conditional(choice) { return choice.goto.some(function (b) { return b.cond !== null; }); }

  /** Why ``state``'s run ended as it did, as data and paragraphs; null while it has not ended. */
  function explain(story, state) {
    if (state.ending === null) return null;
    var ending = endingById(story, state.ending);
    var states = replayedHistory(story, state);
    var path = pathOf(state);
    var here = state.scene;
    var order = {};
    story.endings.forEach(function (e, i) { order[e.id] = i; });
    var reached = order[ending.id];
    function rank(alt) { return [alt.acts, alt.instead ? 1 : 0, alt.points, order[alt.ending]]; }

    var needs = carried(story, treeOf(ending.cond), state).filter(function (n) { return !(n.kind === "road" && n.scene === here); });
    var sceneId = here, choiceSaid = "", decisive = null;
    if (path.length) {
      sceneId = path[path.length - 1][0];
      var choiceId = path[path.length - 1][1];
      var said = states ? states[states.length - 2] : { character: state.character, scene: sceneId, values: state.values,
        flags: state.flags, visits: state.visits, taken: state.taken, path: state.path, ending: null, reply: state.reply };
      choiceSaid = choiceText(story, said, choiceId);
      decisive = choiceId !== CONTINUE ? findChoice(story.scenes.get(sceneId), choiceId) : null;
      if (decisive !== null && conditional(decisive)) {
        var probe = visiting(state, here, -1);
        var arm = decisive.goto[takenArm(decisive, probe)];
        if (arm.cond !== null) needs = carried(story, arm.cond.tree, probe).concat(needs);
      }
    }
    // A flag the deciding choice set is that choice, which the paragraph already quotes; a
    // scene the run did not pass through is no reason worth a sentence.
    var setByIt = decisive !== null ? decisive.set : [];
    needs = unique(needs).filter(function (n) {
      return !(n.kind === "act" && n.wanted && setByIt.indexOf(n.flag) >= 0) && !(n.kind === "road" && !n.wanted);
    });

    var alternatives = new Map(), also = new Map();
    function offer(alt) {
      var old = alternatives.get(alt.ending);
      if (old === undefined || lessThan(rank(alt), rank(old))) alternatives.set(alt.ending, alt);
    }
    function arms(choice, sid, after, instead) {
      var probe = visiting(after, after.scene, -1);
      var taken = takenArm(choice, probe);
      choice.goto.forEach(function (arm, i) {
        var target = story.scenes.get(arm.to);
        if ((i === taken && !instead) || target === undefined || !target.resolve) return;
        var armNeeds = missing(story, treeOf(arm.cond), probe);
        if (armNeeds === null) return;
        var there = visiting(probe, arm.to, +1);
        if (i > taken && !instead) {
          if (arm.cond !== null && armNeeds.length === 0) {
            var other = endingAt(story, there);
            if (other !== null && other !== ending.id && !also.has(other)) {
              also.set(other, alternative(other, endingById(story, other).title, [], sid));
            }
          }
          return;
        }
        for (var k = 0; k < story.endings.length; k++) {
          var e = story.endings[k];
          var otherNeeds = missing(story, treeOf(e.cond), there);
          if (otherNeeds === null || cost(otherNeeds)[0]) continue;
          if (e.id !== ending.id) offer(alternative(e.id, e.title, unique(armNeeds.concat(otherNeeds)), sid, instead));
          break;
        }
      });
    }

    // A run whose path replays reads every goto it took, in the state of that moment; a state
    // made by hand only its last, in the state it ended in.
    var takenSteps = states ? path.map(function (p, k) { return [k, p]; }) : path.length ? [[path.length - 1, path[path.length - 1]]] : [];
    takenSteps.forEach(function (kp) {
      var k = kp[0], p = kp[1];
      var choice = p[1] !== CONTINUE ? findChoice(story.scenes.get(p[0]), p[1]) : null;
      if (choice !== null && conditional(choice)) arms(choice, p[0], states ? states[k + 1] : state, "");
    });
    if (path.length && states) {
      var before = states[states.length - 2];
      var last = path[path.length - 1][1];
      available(story, before).forEach(function (cid) {
        var choice = cid !== CONTINUE && cid !== last ? findChoice(story.scenes.get(sceneId), cid) : null;
        if (choice !== null && conditional(choice)) arms(choice, sceneId, step(story, before, cid), choiceText(story, before, cid));
      });
    }
    story.endings.slice(0, reached).forEach(function (e) {
      var otherNeeds = missing(story, treeOf(e.cond), state);
      if (otherNeeds && otherNeeds.length && !cost(otherNeeds)[0]) offer(alternative(e.id, e.title, unique(otherNeeds), null));
    });

    var nearest = null;
    alternatives.forEach(function (alt) { if (nearest === null || lessThan(rank(alt), rank(nearest))) nearest = alt; });
    var alsoList = Array.from(also.values()).sort(function (a, b) { return order[a.ending] - order[b.ending]; });
    var why = { ending: ending.id, title: ending.title, scene: sceneId, choice: choiceSaid, carried: needs,
                nearest: nearest, also: alsoList };
    why.paragraphs = whyParagraphs(story, state, states, why);
    return why;
  }

  /** Every state of the run by replaying its path; null when the path does not lead to
   *  ``state`` (a state made by hand, whose values were set after its road). */
  function replayedHistory(story, state) {
    var states;
    try {
      states = statesOf(story, state);
    } catch (exc) {
      if (exc instanceof StepError) return null;
      throw exc;
    }
    var last = states[states.length - 1];
    var same = last.scene === state.scene && last.values.length === state.values.length &&
      last.values.every(function (v, i) { return v === state.values[i]; }) &&
      last.flags.size === state.flags.size && Array.from(last.flags).every(function (f) { return state.flags.has(f); });
    return same ? states : null;
  }

  function sentence(text) {
    text = pySplit(text).join(" ");
    return /[.!?\u201d"]$/.test(text) ? text : text + ".";
  }

  function joinWords(items) {
    if (items.length <= 1) return items.join("");
    return items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
  }

  var OPS = { ">=": "at {t}", ">": "above {t}", "<=": "at {t} or less", "<": "below {t}", "==": "at exactly {t}", "!=": "anywhere but {t}" };
  var MET = { ">=": "{t} needed", ">": "more than {t} needed", "<=": "{t} or less needed", "<": "less than {t} needed",
              "==": "exactly {t} needed", "!=": "anything but {t} needed" };
  function fill(template, t) { return template.replace("{t}", String(t)); }

  function whyParagraphs(story, state, states, why) {
    function variable(name) {
      var v = story.variables[variableIndex(story, name)];
      var shown = v.name || name.replace(/_/g, " ");
      return /^(The |A |An )/.test(shown) ? shown[0].toLowerCase() + shown.slice(1) : shown;
    }
    function forcesWords(n) {
      var names = n.variables.map(variable);
      if (names.length === 1 && n.signs[0] === 1) return names[0];
      if (n.signs.every(function (s) { return s === 1; })) return joinWords(names) + " together";
      var parts = [n.signs[0] === 1 ? names[0] : "minus " + names[0]];
      names.slice(1).forEach(function (name, i) { parts.push((n.signs[i + 1] === 1 ? "plus" : "less") + " " + name); });
      return parts.join(" ");
    }
    function forceMet(n) { return forcesWords(n) + " at " + n.had + " (" + fill(MET[n.op], n.target) + ")"; }
    function sceneWords(id) {
      var sc = story.scenes.get(id);
      return sc.month ? sc.title + ", " + sc.month : sc.title;
    }
    function whereSet(flag) {
      var path = pathOf(state);
      for (var k = 0; states && k < path.length; k++) {
        if (states[k + 1].flags.has(flag) && !states[k].flags.has(flag)) return k === path.length - 1 ? "" : sceneWords(path[k][0]);
      }
      if (story.characters.get(state.character).flags.indexOf(flag) >= 0) return "from the start";
      function places(filtered) {
        var out = [];
        story.scenes.forEach(function (sc) {
          sc.choices.forEach(function (c) {
            if (c.set.indexOf(flag) < 0) return;
            if (filtered && !((sc.onlyFor === null || sc.onlyFor.has(state.character)) &&
                              (c.onlyFor === null || c.onlyFor.has(state.character)))) return;
            out.push([sc.date, sc.id]);
          });
        });
        return out.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0; });
      }
      var found = places(true);
      if (!found.length) found = places(false);
      return found.length ? sceneWords(found[0][1]) : "";
    }
    function act(n) {
      if (n.kind === "road") {
        var sc = story.scenes.get(n.scene);
        var title = sc ? "\u201c" + sc.title + "\u201d" : n.scene;
        return (n.wanted ? "passing through " : "not passing through ") + title;
      }
      var label = "\u201c" + (Object.prototype.hasOwnProperty.call(story.flagWords, n.flag) ? story.flagWords[n.flag] : n.flag) + "\u201d";
      if (!n.wanted) return "no " + label;
      var where = whereSet(n.flag);
      return where ? label + " (" + where + ")" : label;
    }
    function lacked(alt) {
      var forces = alt.needs.filter(function (n) { return n.kind === "force"; });
      var wants = alt.needs.filter(function (n) { return n.kind !== "force"; }).map(act);
      wants = wants.concat(forces.map(function (n) { return forcesWords(n) + " " + fill(OPS[n.op], n.target); }));
      var had = forces.length ? "; you had " + joinWords(forces.map(function (n) { return String(n.had); })) : "";
      if (alt.instead) {
        var sc = alt.at ? story.scenes.get(alt.at) : null;
        var where = sc ? " at \u201c" + sc.title + "\u201d" : "";
        var text = "lay behind another choice" + where + ": " + sentence(alt.instead);
        if (!wants.length) return text + " The run had all it needed for it.";
        return text + " Then it needed " + joinWords(wants) + had.replace("you had", "you would have had") + ".";
      }
      if (!wants.length) return "needed nothing the run lacked.";
      return "needed " + joinWords(wants) + had + ".";
    }

    var out = [];
    var scene = story.scenes.get(why.scene);
    var where = "\u201c" + scene.title + "\u201d" + (scene.when ? " (" + scene.when + ")" : "");
    var first = why.choice ? "It was decided at " + where + ", when you chose: " + sentence(why.choice) : "It was decided at " + where + ".";
    var acts = why.carried.filter(function (n) { return n.kind !== "force"; });
    var forces = why.carried.filter(function (n) { return n.kind === "force"; });
    var reasons = acts.map(act).concat(forces.map(forceMet));
    if (reasons.length) first += " What carried it: " + joinWords(reasons) + ".";
    var ending = endingById(story, why.ending);
    if (ending !== null && ending.cond === null) first += " The conditions of every other ending failed.";
    out.push(first);
    if (why.nearest !== null) out.push("The nearest other ending, " + why.nearest.title + ", " + lacked(why.nearest));
    why.also.forEach(function (alt) { out.push(alt.title + " was within reach too, but " + why.title + " comes first."); });
    return out;
  }

  // ---- the transcript (game/classroom/transcript.py) --------------------------------------

  function oneLine(text) { return pySplit(text).join(" "); }

  function paragraphs(text) { return text.split("\n\n").map(pyStrip); }

  /** Each paragraph on one line with a blank line after it, so Markdown keeps them apart. */
  function spaced(text) {
    var out = [];
    text.split("\n\n").forEach(function (p) { if (pyStrip(p)) out.push(oneLine(p), ""); });
    return out;
  }

  function signed(n) { return (n >= 0 ? "+" : "") + n; }

  /** Said before every epilogue (ADVISORY in game/classroom/transcript.py). */
  var ADVISORY = "Content note: what follows goes on into the 1930s, and may tell of suicide, " +
                 "executions and confessions forced by threats and torture.";

  /** The whole run so far as Markdown, the document the class report reads. */
  function transcript(story, state) {
    var who = story.characters.get(state.character);
    var lines = ["# " + story.title + ": a transcript", "",
                 "Played as **" + who.name + "**" + (who.title ? ", " + who.title : "") + ".", ""];
    var s = start(story, state.character);
    var steps = pathOf(state);
    steps.push(null);
    for (var k = 0; k < steps.length; k++) {
      var number = k + 1, taken = steps[k];
      var v = view(story, s);
      var scene = v.scene;
      if (v.reply) lines.push("*" + oneLine(v.reply) + "*", "");
      lines.push("## " + number + ". " + scene.title, "",
                 "*" + [scene.when, v.place].filter(function (x) { return x; }).join(", ") + "*", "");
      if (v.text) paragraphs(v.text).forEach(function (p) { lines.push(p, ""); });  // as transcript.py: a blank line each
      if (v.note) {
        var tag = scene.note.counterfactual ? " (this scene departs from what really happened)" : "";
        lines.push("> **Historical note" + tag + ".** " + oneLine(v.note));
        scene.note.sources.forEach(function (src) { lines.push("> Source: " + src); });
        lines.push("");
      }
      if (taken === null) break;
      var chosen = taken[1] === CONTINUE ? "(continued)" : choiceText(story, s, taken[1]);
      lines.push("**You chose:** " + chosen, "");
      s = step(story, s, taken[1]);
    }
    if (state.ending !== null) {
      var end = view(story, state);
      lines.push("## The end: " + end.ending.title, "");
      lines.push.apply(lines, spaced(end.endingText));
      var why = explain(story, state);
      if (why !== null) lines.push.apply(lines, ["### " + WHY_HEADING, ""].concat(spaced(why.paragraphs.join("\n\n"))));
      if (end.epilogue) lines.push.apply(lines, ["### Afterwards", "", "*" + ADVISORY + "*", ""].concat(spaced(end.epilogue)));
      lines.push("### The hidden forces", "", "| force | began | ended | moved most by |", "|---|---|---|---|");
      forces(story, state).forEach(function (f) {
        var moved = f.topMoves.map(function (m) { return m.choiceText + " (" + signed(m.delta) + ")"; }).join("; ") || "nothing";
        lines.push("| " + f.name + " | " + f.start + " | " + f.end + " | " + moved + " |");
      });
      lines.push("");
      if (end.history) lines.push.apply(lines, ["### What really happened", ""].concat(spaced(end.history)));
    }
    return lines.join("\n").replace(RSTRIP, "") + "\n";
  }

  // ---- reading aids (game/classroom: historical, glossary, timeline, real, record) --------
  // The export carries the files kept beside the story (glossary.yaml, timeline.yaml,
  // historical.yaml) as Python read them, and each scene's chapter as Python counts it.

  /** Python's order of strings (by code point; JavaScript's own sort is by UTF-16 unit). */
  function pyCompare(a, b) {
    if (a === b) return 0;
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.codePointAt(i), y = b.codePointAt(i);
      if (x !== y) return x < y ? -1 : 1;
      if (x > 0xffff) i++;
    }
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }

  function pySorted(items) { return items.slice().sort(pyCompare); }

  var ChapterError = errorClass("ChapterError");

  var HISTORICAL_FILE = "historical.yaml";

  /** historical.replay_path: every state of the character's documented historical run. */
  function historicalRun(story, character) {
    var steps = story.aids.paths.get(character);
    if (!steps) throw ChapterError("the story has no historical path for '" + character + "' (add one to " + HISTORICAL_FILE + ")");
    var state = start(story, character);
    var states = [state];
    for (var n = 0; n < steps.length; n++) {
      var sceneId = steps[n][0], choiceId = steps[n][1];
      var here = "step " + (n + 1) + " of the historical path of '" + character + "' (" + sceneId + ": " + choiceId + ")";
      if (state.ending !== null) {
        throw ChapterError(here + ": the run has already ended, with '" + state.ending + "', at scene '" + state.scene + "'");
      }
      if (state.scene !== sceneId) {
        throw ChapterError(here + ": the run is at scene '" + state.scene + "', not at '" + sceneId + "'");
      }
      var offeredIds = available(story, state);
      if (findChoice(story.scenes.get(state.scene), choiceId) === null || offeredIds.indexOf(choiceId) < 0) {
        throw ChapterError(here + ": the choice is not on offer now; on offer: " + offeredIds.join(", "));
      }
      state = step(story, state, choiceId);
      states.push(state);
    }
    if (state.ending === null) {
      throw ChapterError("the historical path of '" + character + "' ends after step " + steps.length +
                         ", but the run goes on at scene '" + state.scene + "'");
    }
    return states;
  }

  /** historical.chapter_start: the historical run up to and including the first scene of
   *  chapter ``year``; the last state is where the chapter begins, the others what undo walks back to. */
  function chapterStart(story, character, year) {
    var years = story.aids.chapters;
    if (years.indexOf(year) < 0) {
      throw ChapterError("there is no chapter " + year + "; the chapters are " + years.join(", "));
    }
    var states = historicalRun(story, character);
    for (var i = 0; i < states.length; i++) {
      if (story.scenes.get(states[i].scene).chapter === year) return states.slice(0, i + 1);
    }
    throw ChapterError("the historical path of '" + character + "' never reaches " + year);
  }

  // ---- the glossary (game/classroom/glossary.py) -------------------------------------------

  // Python's \w is Unicode (letters, numbers and the underscore); JavaScript's is ASCII.
  var REGEX_SPECIAL = /[\\^$.*+?()[\]{}|\/]/g;

  function compileEntry(e) {
    var forms = [e.name].concat(e.also);
    var patterns = forms.map(function (form) {
      var flags = /\p{Uppercase}/u.test(form) ? "u" : "iu";
      return new RegExp("(?<![\\p{L}\\p{N}_-])" + form.replace(REGEX_SPECIAL, "\\$&") + "(?:['\u2019]s|es|s)?(?![\\p{L}\\p{N}_-])", flags);
    });
    var plain = pyStrip(e.full.split(" (")[0]);
    return {
      name: e.name, kind: e.kind, dates: e.dates, text: e.text, full: e.full, also: e.also, forms: forms,
      heading: e.full || e.name,
      short: plain && !plain.endsWith(e.name) ? plain : e.name,
      line: (e.full || e.name) + (e.dates ? ", " + e.dates : "") + ". " + e.text,
      patterns: patterns
    };
  }

  /** glossary.entries_in: the entries ``texts`` mention, in the order of their first mention. */
  function entriesIn(story, texts) {
    var blob = texts.filter(function (t) { return t; }).join("\n");
    var found = [];
    story.aids.glossary.forEach(function (entry, order) {
      var first = -1;
      entry.patterns.forEach(function (p) {
        var m = p.exec(blob);
        if (m && (first < 0 || m.index < first)) first = m.index;
      });
      if (first >= 0) found.push([first, order, entry]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return found.map(function (f) { return f[2]; });
  }

  /** The entries of what ``state``'s screen shows, as the terminal and the window find them. */
  function entriesInScene(story, state) {
    var v = view(story, state);
    return entriesIn(story, [v.scene.title, v.place, v.reply, v.text].concat(v.choices.map(function (c) { return c.text; })));
  }

  // ---- the timeline (game/classroom/timeline.py) -------------------------------------------

  function pyInt(text) {
    var t = pyStrip(text);
    return /^[+-]?[0-9]+$/.test(t) ? parseInt(t, 10) : NaN;
  }

  /** ``1923-03-05`` as [1923, 3, 5]; a month alone sorts at its end, a year alone at its end. */
  function sortDate(date) {
    var parts = pyStrip(date).split("-").concat(["", ""]).slice(0, 3);
    var year = pyInt(parts[0]);
    var month = parts[1] ? pyInt(parts[1]) : 12;
    var day = parts[2] ? pyInt(parts[2]) : 31;
    if (isNaN(year) || isNaN(month) || isNaN(day)) return [9999, 12, 31];
    return [year, month, day];
  }

  function compareTuples(a, b) {
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
  }

  /** timeline.beside: the real events up to the run's present, with the run's scenes, in date order. */
  function beside(story, states) {
    var rows = [];
    var now = null;
    states.forEach(function (state) {
      var scene = story.scenes.get(state.scene);
      if (!scene.date || sortDate(scene.date)[0] === 9999) return;
      var d = sortDate(scene.date);
      if (now === null || compareTuples(d, now) > 0) now = d;
      rows.push({ date: scene.date, when: scene.when, side: "run", title: scene.title, text: view(story, state).place,
                  counterfactual: scene.note.counterfactual, scene: scene.id });
    });
    var real = [];
    story.aids.timeline.forEach(function (e) {
      if (now !== null && compareTuples(sortDate(e.date), now) <= 0) {
        real.push({ date: e.date, when: e.when, side: "real", title: e.title, text: e.text, counterfactual: false, scene: "" });
      }
    });
    var merged = real.concat(rows).map(function (r, i) { return [r, i]; });
    merged.sort(function (a, b) {
      return compareTuples(sortDate(a[0].date), sortDate(b[0].date)) ||
        (a[0].side === "real" ? 0 : 1) - (b[0].side === "real" ? 0 : 1) || a[1] - b[1];
    });
    return merged.map(function (x) { return x[0]; });
  }

  // ---- "What in your story was real?" (game/classroom/real.py) -------------------------------

  var REAL_HEADING = "What in your story was real?";

  /** A flag in words, as the export names it (game/classroom/acts.flag_words). */
  function flagWordsOf(story, flag) {
    return Object.prototype.hasOwnProperty.call(story.flagWords, flag) ? story.flagWords[flag] : flag.replace(/_/g, " ");
  }

  /** Every flag the character's historical run ever sets; null when he has no path that plays. */
  function historicalFlags(story, character) {
    var states;
    try {
      states = historicalRun(story, character);
    } catch (exc) {
      if (exc instanceof ChapterError) return null;
      throw exc;
    }
    var out = new Set();
    states.forEach(function (s) { s.flags.forEach(function (f) { out.add(f); }); });
    return out;
  }

  /** real.reality: the turns ``state``'s run took away from history, from its start to now. */
  function reality(story, state) {
    var states = statesOf(story, state);
    var path = pathOf(state);
    var realFlags = historicalFlags(story, state.character);
    var hist = story.aids.paths.get(state.character) || null;
    var turns = [];
    var invented = 0;
    states.forEach(function (st, i) {
      var scene = story.scenes.get(st.scene);
      var taken = i < path.length ? path[i][1] : null;
      var chosen = taken === null || taken === CONTINUE || taken.charAt(0) === "-" ? "" : choiceText(story, st, taken);
      var choice = taken ? findChoice(scene, taken) : null;
      var newFlags = pySorted((choice ? choice.set : []).filter(function (f) { return !st.flags.has(f); }));
      if (scene.note.counterfactual) {
        invented++;
        var before = i > 0 ? story.scenes.get(states[i - 1].scene) : null;
        var ledBy = "";
        if (before !== null && !before.note.counterfactual && path[i - 1][1] !== CONTINUE) {
          ledBy = choiceText(story, states[i - 1], path[i - 1][1]);
        }
        var acts = newFlags.filter(function (f) { return realFlags === null || !realFlags.has(f); }).map(function (f) { return flagWordsOf(story, f); });
        turns.push({ kind: "invented", scene: scene.id, title: scene.title, date: scene.date, when: scene.when, ledBy: ledBy,
                     chosen: chosen, acts: acts, really: view(story, st).note, sources: scene.note.sources.slice() });
        return;
      }
      if (realFlags === null || !newFlags.length) return;
      var unreal = newFlags.filter(function (f) { return !realFlags.has(f); });
      if (!unreal.length) return;
      var why = null;
      if (hist !== null) {
        for (var k = 0; k < hist.length; k++) if (hist[k][0] === scene.id) { why = hist[k][2]; break; }
      }
      turns.push({ kind: "act", scene: scene.id, title: scene.title, date: scene.date, when: scene.when, ledBy: "",
                   chosen: chosen, acts: unreal.map(function (f) { return flagWordsOf(story, f); }), really: why !== null ? why : view(story, st).note,
                   sources: scene.note.sources.slice() });
    });
    return { turns: turns, scenes: states.length, invented: invented, debrief: story.aids.debrief.slice() };
  }

  function realitySummary(r) {
    var kept = r.scenes - r.invented;
    if (!r.turns.length) {
      return "Your run kept to history: all " + r.scenes + " of its scenes happened, and you made no " +
        "decisive choice the real man did not make. The choices were yours; the roads were real.";
    }
    var inventedWords = r.invented ? r.invented + " of its " + r.scenes + " scenes were invented by the game, the other " + kept + " are history"
      : "all " + r.scenes + " of its scenes are history";
    var acts = r.turns.filter(function (t) { return t.kind === "act"; }).length;
    var decisive = acts ? ", and you made " + acts + " decisive choice" + (acts !== 1 ? "s" : "") + " the real man never made" : "";
    return "In your run " + inventedWords + decisive + ". Here is each turn away from what really happened, " +
      "what happened instead, and where to read about it.";
  }

  /** real.paragraphs: the page as [kind, text] pieces: heading, turn, label, text, source. */
  function realParagraphs(story, state) {
    var r = reality(story, state);
    var out = [["text", realitySummary(r)]];
    r.turns.forEach(function (t, i) {
      var kind = t.kind === "invented" ? "An invented scene" : "A choice he never made";
      out.push(["turn", (i + 1) + ". " + t.title + (t.when ? " (" + t.when + ")" : "") + ": " + kind.toLowerCase()]);
      if (t.ledBy) out.push(["label", "What led there: " + t.ledBy]);
      if (t.chosen) out.push(["label", "You chose: " + t.chosen]);
      if (t.acts.length && t.kind === "invented") out.push(["label", "It set decisive acts the real man never did: " + t.acts.join(", ")]);
      out.push(["text", (t.kind === "invented" ? "What really happened: " : "What he really did: ") + t.really]);
      if (t.sources.length) out.push(["source", (t.sources.length > 1 ? "Sources: " : "Source: ") + t.sources.join("; ")]);
    });
    if (r.debrief.length) {
      out.push(["heading", "A word on the odds"]);
      r.debrief.forEach(function (p) { out.push(["text", p]); });
    }
    return out;
  }

  /** real.markdown: the page as Markdown lines, a ### section of the transcript. */
  function realMarkdown(story, state) {
    var lines = ["### " + REAL_HEADING, ""];
    realParagraphs(story, state).forEach(function (piece) {
      var one = oneLine(piece[1]);
      if (piece[0] === "heading") lines.push("#### " + one, "");
      else if (piece[0] === "turn") lines.push("**" + one + "**", "");
      else if (piece[0] === "label") lines.push("*" + one + "*", "");
      else if (piece[0] === "source") lines.push("> " + one, "");
      else lines.push(one, "");
    });
    return lines;
  }

  // ---- the record for the class report (game/classroom/record.py) --------------------------

  var RECORD_FORMAT = 1;
  var RECORD_FENCE = "```json testament-record";
  var STUDENT = "**Student:**";
  var MAX_NAME = 80;

  /** record.build: the run as the JSON-ready record ``testament class-report`` reads. */
  function buildRecord(story, state, notes, now) {
    var states = statesOf(story, state);
    var path = pathOf(state);
    var scenes = [], seen = new Set(), invented = [];
    states.forEach(function (s, i) {
      var scene = story.scenes.get(s.scene);
      if (seen.has(s.scene)) return;
      seen.add(s.scene);
      scenes.push({ scene: scene.id, title: scene.title, date: scene.date, note: !!view(story, s).note,
                    counterfactual: scene.note.counterfactual });
      if (scene.note.counterfactual) {
        var before = i ? path[i - 1] : ["", ""];
        invented.push({ scene: scene.id, title: scene.title, date: scene.date, from_scene: before[0], from_choice: before[1],
                        choice_text: i ? choiceText(story, states[i - 1], before[1]) : "",
                        turn: i > 0 && !story.scenes.get(states[i - 1].scene).note.counterfactual });
      }
    });
    var decisive = [];
    path.forEach(function (p, i) {
      var choice = findChoice(story.scenes.get(p[0]), p[1]);
      if (choice !== null && choice.set.length) {
        decisive.push({ scene: p[0], scene_title: story.scenes.get(p[0]).title, choice: p[1],
                        text: choiceText(story, states[i], p[1]), flags: pySorted(choice.set) });
      }
    });
    var opened = new Set(notes || []);
    var ending = state.ending !== null ? endingById(story, state.ending) : null;
    return {
      testament_record: RECORD_FORMAT,
      story: { id: story.id, version: story.version, title: story.title },
      character: { id: state.character, name: story.characters.get(state.character).name },
      written_at: isoSeconds(now || new Date()),
      path: path.map(function (p) { return p[0] + ":" + p[1]; }),
      ending: ending !== null ? { id: ending.id, title: ending.title } : null,
      flags: pySorted(Array.from(state.flags)),
      forces: story.variables.map(function (v, i) {
        return { id: v.id, name: v.name, low: v.min, high: v.max, start: states[0].values[i], end: state.values[i] };
      }),
      scenes: scenes,
      counterfactual: invented,
      decisive: decisive,
      notes_opened: scenes.filter(function (s) { return opened.has(s.scene); }).map(function (s) { return s.scene; })
    };
  }

  /** json.dumps(value, indent=1, ensure_ascii=True), for JSON-ready values of whole numbers. */
  function pyDumpsIndented(value) {
    return JSON.stringify(value, null, 1).replace(/[\u007f-\uffff]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  /** A name as the Student line holds it: one line, no control or direction characters, at
   *  most MAX_NAME characters (what record._with_student reads back). */
  function studentName(name) {
    var clean = pySplit(String(name || "").replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, " ")).join(" ");
    clean = clean.replace(/^[*_\s]+|[*_\s]+$/g, "");
    var chars = Array.from(clean);
    return readable(chars.length > MAX_NAME ? chars.slice(0, MAX_NAME - 1).join("") + "\u2026" : clean);
  }

  /** record.trailer: the name line, a word of explanation and the record block; ``student``
   *  goes after "Student:" (record.trailer writes that line empty, for a name written later). */
  function trailer(record, student) {
    var name = studentName(student);
    return "\n---\n\n" + STUDENT + " " + name + "\n\n" +
      "*Write your name after \"Student:\" before you hand this in. The block below is the same run " +
      "for your teacher's class report; leave it as it is.*\n\n" +
      RECORD_FENCE + "\n" + pyDumpsIndented(record) + "\n```\n";
  }

  /** transcript.transcript_file: the Markdown, "What in your story was real?" after an
   *  ending, then the run's record; ``notes`` are the scenes whose notes were opened. */
  function transcriptFile(story, state, notes, now, student) {
    var text = transcript(story, state);
    if (state.ending !== null) {
      text = text.replace(/\n+$/, "") + "\n\n" + realMarkdown(story, state).join("\n").replace(RSTRIP, "") + "\n";
    }
    return text + trailer(buildRecord(story, state, notes, now), student);
  }

  // ---- Python's json.loads, to read saves exactly as game/saves.py reads them ----------------
  // A port of CPython's C scanner (Modules/_json.c) with saves.py's hooks: a whole number of
  // more than MAX_DIGITS digits, a fraction longer than MAX_DIGITS + 10 characters and NaN or
  // Infinity are refused where the parser meets them; an error is placed at the line and
  // column Python names (counted in code points). Whole numbers are numbers (BigInt beyond
  // 2^53), fractions are PyFloat, objects have no prototype (a key "__proto__" is a key).

  var MAX_DIGITS = 30;
  /** Nesting refused (saves.py relies on Python's recursion limit, about 990 less the depth it is called at). */
  var MAX_NESTING = 500;

  function PyFloat(value) { this.value = value; }

  function JsonProblem(kind, pos, text) { this.kind = kind; this.pos = pos; this.text = text; }

  var ESCAPES = { 34: "\"", 92: "\\", 47: "/", 98: "\b", 102: "\f", 110: "\n", 114: "\r", 116: "\t" };

  function thousands(n) { return n.toLocaleString("en-US"); }

  function pyLoads(s) {
    var len = s.length;
    var depth = 0;
    function ws(c) { return c === 32 || c === 9 || c === 10 || c === 13; }
    function skip(i) { while (i < len && ws(s.charCodeAt(i))) i++; return i; }
    function bad(pos) { throw new JsonProblem("decode", pos, ""); }
    function hex(from, to) {
      var v = 0;
      for (var i = from; i < to; i++) {
        var c = s.charCodeAt(i), d;
        if (c >= 48 && c <= 57) d = c - 48;
        else if (c >= 97 && c <= 102) d = c - 87;
        else if (c >= 65 && c <= 70) d = c - 55;
        else return -1;
        v = v * 16 + d;
      }
      return v;
    }
    function scanString(end) {
      var begin = end - 1, out = "";
      for (;;) {
        var next = end, c = 0;
        for (; next < len; next++) {
          c = s.charCodeAt(next);
          if (c === 34 || c === 92) break;
          if (c <= 0x1f) bad(next);
        }
        if (next >= len) bad(begin);
        out += s.slice(end, next);
        next++;
        if (c === 34) return [out, next];
        if (next === len) bad(begin);
        c = s.charCodeAt(next);
        if (c !== 117) {
          end = next + 1;
          if (!Object.prototype.hasOwnProperty.call(ESCAPES, c)) bad(end - 2);
          out += ESCAPES[c];
          continue;
        }
        next++;
        end = next + 4;
        if (end >= len) bad(next - 1);
        var u = hex(next, end);
        if (u < 0) bad(end - 5);
        next = end;
        if (u >= 0xd800 && u <= 0xdbff && end + 6 < len && s.charCodeAt(next) === 92 && s.charCodeAt(next + 1) === 117) {
          end += 6;
          var u2 = hex(next + 2, end);
          if (u2 < 0) bad(end - 5);
          if (u2 >= 0xdc00 && u2 <= 0xdfff) out += String.fromCharCode(u, u2);
          else { end -= 6; out += String.fromCharCode(u); }
        } else {
          out += String.fromCharCode(u);
        }
      }
    }
    function digit(i) { var c = s.charCodeAt(i); return c >= 48 && c <= 57; }
    function number(start) {
      var idx = start, last = len - 1, isFloat = false;
      if (s.charCodeAt(idx) === 45) {
        idx++;
        if (idx > last) bad(start);
      }
      var c = s.charCodeAt(idx);
      if (c >= 49 && c <= 57) { idx++; while (idx <= last && digit(idx)) idx++; }
      else if (c === 48) idx++;
      else bad(start);
      if (idx < last && s.charCodeAt(idx) === 46 && digit(idx + 1)) {
        isFloat = true;
        idx += 2;
        while (idx <= last && digit(idx)) idx++;
      }
      if (idx < last && (s.charCodeAt(idx) === 101 || s.charCodeAt(idx) === 69)) {
        var eStart = idx;
        idx++;
        if (idx < last && (s.charCodeAt(idx) === 45 || s.charCodeAt(idx) === 43)) idx++;
        while (idx <= last && digit(idx)) idx++;
        if (digit(idx - 1)) isFloat = true;
        else idx = eStart;
      }
      var text = s.slice(start, idx);
      if (isFloat) {
        if (text.length > MAX_DIGITS + 10) {
          throw new JsonProblem("refused", start, "a number " + thousands(text.length) + " characters long, longer than any save holds");
        }
        return [new PyFloat(Number(text)), idx];
      }
      var digits = text.replace(/^-+/, "").length;
      if (digits > MAX_DIGITS) {
        throw new JsonProblem("refused", start, "a number of " + thousands(digits) + " digits, longer than any save holds");
      }
      var n = Number(text);
      return [Number.isSafeInteger(n) ? (n === 0 ? 0 : n) : BigInt(text), idx];
    }
    function constant(name) {
      throw new JsonProblem("refused", 0, "'" + name + "', which is not a number a save can hold");
    }
    function scanOnce(idx) {
      if (idx >= len) bad(idx);
      var c = s.charAt(idx);
      switch (c) {
        case "\"": return scanString(idx + 1);
        case "{": case "[":
          if (++depth > MAX_NESTING) throw new JsonProblem("deep", idx, "");
          var res = c === "{" ? object(idx + 1) : array(idx + 1);
          depth--;
          return res;
        case "n": if (s.substr(idx, 4) === "null") return [null, idx + 4]; break;
        case "t": if (s.substr(idx, 4) === "true") return [true, idx + 4]; break;
        case "f": if (s.substr(idx, 5) === "false") return [false, idx + 5]; break;
        case "N": if (s.substr(idx, 3) === "NaN") constant("NaN"); break;
        case "I": if (s.substr(idx, 8) === "Infinity") constant("Infinity"); break;
        case "-": if (s.substr(idx, 9) === "-Infinity") constant("-Infinity"); break;
      }
      return number(idx);
    }
    function object(idx) {
      var out = Object.create(null);
      idx = skip(idx);
      if (idx >= len || s.charCodeAt(idx) !== 125) {
        for (;;) {
          if (idx >= len || s.charCodeAt(idx) !== 34) bad(idx);
          var key = scanString(idx + 1);
          idx = skip(key[1]);
          if (idx >= len || s.charCodeAt(idx) !== 58) bad(idx);
          idx = skip(idx + 1);
          var val = scanOnce(idx);
          out[key[0]] = val[0];
          idx = skip(val[1]);
          if (idx < len && s.charCodeAt(idx) === 125) break;
          if (idx >= len || s.charCodeAt(idx) !== 44) bad(idx);
          idx = skip(idx + 1);
        }
      }
      return [out, idx + 1];
    }
    function array(idx) {
      var out = [];
      idx = skip(idx);
      if (idx >= len || s.charCodeAt(idx) !== 93) {
        for (;;) {
          var val = scanOnce(idx);
          out.push(val[0]);
          idx = skip(val[1]);
          if (idx < len && s.charCodeAt(idx) === 93) break;
          if (idx >= len || s.charCodeAt(idx) !== 44) bad(idx);
          idx = skip(idx + 1);
        }
      }
      return [out, idx + 1];
    }
    if (s.charCodeAt(0) === 0xfeff) bad(0);   // json.loads: "Unexpected UTF-8 BOM"
    var found = scanOnce(skip(0));
    var end = skip(found[1]);
    if (end !== len) bad(end);
    return found[0];
  }

  /** Python's line and column (1-based, in code points) of the UTF-16 index ``pos``. */
  function lineColumn(s, pos) {
    function points(from, to) {
      var n = 0;
      for (var i = from; i < to; i++) {
        var c = s.charCodeAt(i);
        if (!(c >= 0xdc00 && c <= 0xdfff && i > from && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff)) n++;
      }
      return n;
    }
    var line = 1;
    for (var i = 0; i < pos; i++) if (s.charCodeAt(i) === 10) line++;
    var nl = pos > 0 ? s.lastIndexOf("\n", pos - 1) : -1;
    return [line, nl < 0 ? points(0, pos) + 1 : points(nl, pos)];
  }

  function isDict(v) { return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof PyFloat); }

  /** repr() of a float, as Python writes it (shortest digits; exponent from 1e16 and below 1e-4). */
  function floatRepr(x) {
    if (x !== x) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    var sign = x < 0 ? "-" : "";
    var m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(Math.abs(x).toExponential());
    var digits = m[1] + (m[2] || ""), exp = parseInt(m[3], 10), point = exp + 1;
    if (point > 16 || point < -3) {
      var mant = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
      return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    if (point <= 0) return sign + "0." + "0".repeat(-point) + digits;
    if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length) + ".0";
    return sign + digits.slice(0, point) + "." + digits.slice(point);
  }

  /** str() of a value Python's json read (for the version a save names). */
  function pyStr(v) {
    if (v instanceof PyFloat) return floatRepr(v.value);
    if (v === true) return "True";
    if (v === false) return "False";
    return String(v);
  }

  /** json.dumps() of a text, a fraction, true/false or null (ensure_ascii, as Python's default). */
  function pyDumpsScalar(v) {
    if (v instanceof PyFloat) {
      return v.value === Infinity ? "Infinity" : v.value === -Infinity ? "-Infinity" : v.value !== v.value ? "NaN" : floatRepr(v.value);
    }
    return JSON.stringify(v).replace(/[\u007f-\uffff]/g, function (c) { return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4); });
  }

  /** Python's == between a value read from a save and a whole number. */
  function pyEqualsInt(v, n) {
    if (typeof v === "number") return v === n;
    if (typeof v === "bigint") return v === BigInt(n);
    if (v instanceof PyFloat) return v.value === n;
    if (typeof v === "boolean") return (v ? 1 : 0) === n;
    return false;
  }

  // ---- saves (game/saves.py) ---------------------------------------------------------------

  function pad(n, width) { var s = String(n); while (s.length < width) s = "0" + s; return s; }

  /** Local time as Python's datetime.now().isoformat(timespec="seconds"). */
  function isoSeconds(d) {
    return pad(d.getFullYear(), 4) + "-" + pad(d.getMonth() + 1, 2) + "-" + pad(d.getDate(), 2) + "T" +
      pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2);
  }

  /** Lone surrogates replaced, as saves._readable does, so the text encodes as UTF-8. */
  function readable(text) {
    return String(text).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g, function (m) {
      return m.length === 2 ? m[0] + "?" : "?";
    });
  }

  function toDocument(story, state, label, now) {
    var scene = story.scenes.get(state.scene);
    return {
      format: SAVE_FORMAT,
      story: { id: story.id, version: story.version, mods: story.mods.slice() },
      character: state.character,
      state: { scene: state.scene, values: namedValues(story, state), flags: Array.from(state.flags).sort(), ending: state.ending },
      label: readable(label || ""),
      scene_title: scene.title,
      story_date: scene.date,
      saved_at: isoSeconds(now || new Date()),
      path: pathOf(state)
    };
  }

  function utf8Length(text) {
    return typeof TextEncoder !== "undefined" ? new TextEncoder().encode(text).length : unescape(encodeURIComponent(text)).length;
  }

  /** The document as saves.encode writes it: indented, one choice of the path to a line. */
  function encode(doc) {
    var head = {};
    Object.keys(doc).forEach(function (k) { if (k !== "path") head[k] = doc[k]; });
    var headText = JSON.stringify(head, null, 1);
    var steps = doc.path.map(function (p) { return JSON.stringify(p); }).join(",\n  ");
    var text = headText.slice(0, -2) + ',\n "path": [' + (steps ? "\n  " + steps + "\n " : "") + "]\n}\n";
    if (utf8Length(text) > MAX_SAVE_BYTES) {
      throw SaveError("this run of " + doc.path.length.toLocaleString("en") + " choices is too long to save (a save is at most " +
                      (MAX_SAVE_BYTES / (1024 * 1024)) + " MB)");
    }
    return text;
  }

  /** saves.format_problem: why a save's format is not one this game reads, or "". */
  function formatProblem(value) {
    if (typeof value === "number" || typeof value === "bigint") {  // pyLoads: a whole number
      if (value == SAVE_FORMAT) return "";  // eslint-disable-line eqeqeq
      if (value > SAVE_FORMAT) return "saved by a newer version of the game (format " + String(value) + "); update the game to load it";
      return "damaged: format " + String(value) + " is not a save format of this game (it writes format " + SAVE_FORMAT + ")";
    }
    var shown = typeof value === "string" || typeof value === "boolean" || value === null || value instanceof PyFloat ?
      pyDumpsScalar(value).slice(0, 40) : Array.isArray(value) ? "list" : "dict";
    return "damaged: its format is " + shown + ", not the whole number " + SAVE_FORMAT;
  }

  /** saves.read_document for a file's bytes: at most MAX_SAVE_BYTES of UTF-8 (a byte order mark kept, as Python keeps it). */
  function readSaveBytes(bytes, name) {
    name = name || "this save";
    if (bytes.length > MAX_SAVE_BYTES) {
      throw SaveError(name + ": not a readable save: too large to be a save (" + thousands(bytes.length) +
                      " bytes; a save is at most " + (MAX_SAVE_BYTES / (1024 * 1024)) + " MB)");
    }
    var text;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch (e) {
      throw SaveError(name + ": damaged or truncated, not a readable save (it is not UTF-8 text)");
    }
    return readDocument(text, name);
  }

  /** A save document from its text (a file or the browser's storage), read and checked as
   *  saves.read_document reads and checks it, with the same message for every refusal. */
  function readDocument(text, name) {
    name = name || "this save";
    if (utf8Length(text) > MAX_SAVE_BYTES) {
      throw SaveError(name + ": not a readable save: too large to be a save (a save is at most " + (MAX_SAVE_BYTES / (1024 * 1024)) + " MB)");
    }
    var doc;
    try {
      doc = pyLoads(text);
    } catch (e) {
      if (!(e instanceof JsonProblem)) throw e;
      if (e.kind === "refused") throw SaveError(name + ": damaged, not a readable save: it holds " + e.text);
      if (e.kind === "deep") throw SaveError(name + ": damaged, not a readable save: it is nested far deeper than any save");
      var at = lineColumn(text, e.pos);
      throw SaveError(name + ": damaged or truncated, not a readable save at line " + at[0] + ", column " + at[1]);
    }
    if (!isDict(doc) || !("format" in doc) || !("path" in doc)) throw SaveError(name + ": not a save file of this game");
    var problem = formatProblem(doc.format);
    if (problem) throw SaveError(name + ": " + problem);
    var steps = doc.path;
    var ok = Array.isArray(steps) && steps.every(function (p) {
      return Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && typeof p[1] === "string";
    });
    if (!ok || typeof doc.character !== "string") throw SaveError(name + ": damaged: its list of choices is unreadable");
    return doc;
  }

  /** saves._text: a string field cut to ``limit`` characters (code points, as Python counts). */
  function textField(value, limit) {
    if (typeof value !== "string") return "";
    limit = limit || 200;
    return readable(value.length <= limit ? value : Array.from(value).slice(0, limit).join(""));
  }

  /** Python's == between saved values (as pyLoads read them) and the run's named values. */
  function sameValues(a, b) {
    if (!isDict(a)) return false;
    var ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return kb.every(function (k) { return Object.prototype.hasOwnProperty.call(a, k) && pyEqualsInt(a[k], b[k]); });
  }

  /**
   * Restore a run from a save document on ``story``, as saves.load does: replay the path;
   * where the story has changed, keep the longest prefix that still fits and say why.
   * Returns {state, problem}; SaveError if nothing of it can be used.
   */
  function loadDocument(story, doc, name) {
    name = name || "this save";
    var saved = isDict(doc.story) ? doc.story : {};
    if (saved.id !== story.id) {
      throw SaveError(name + ": belongs to the story '" + textField(saved.id, 80) + "', not to '" + story.id + "'");
    }
    if (!story.characters.has(doc.character)) {
      throw SaveError(name + ": plays '" + textField(doc.character, 80) + "', who is not in this story");
    }
    var steps = doc.path.map(function (p) { return [p[0], p[1]]; });
    var version = saved.version;
    var savedVersion = typeof version === "string" || typeof version === "number" || typeof version === "bigint" ||
      typeof version === "boolean" || version instanceof PyFloat ? textField(pyStr(version), 80) : "";
    var state;
    try {
      state = replay(story, doc.character, steps);
    } catch (exc) {
      if (!(exc instanceof StepError)) throw exc;
      var fits = longestFitting(story, doc.character, steps);
      var changed = savedVersion === story.version ? "" :
        " (saved with story version " + savedVersion + ", this is version " + story.version + ")";
      return { state: fits, problem: "The story has changed since this game was saved" + changed + ". " + exc.message +
        ". The run is restored up to choice " + pathLength(fits) + " of " + steps.length + ", in '" + story.scenes.get(fits.scene).title + "'." };
    }
    var snapshot = isDict(doc.state) ? doc.state : {};
    if (snapshot.values !== undefined && snapshot.values !== null && !sameValues(snapshot.values, namedValues(story, state)) &&
        savedVersion === story.version) {
      return { state: state, problem: "The saved values differ from the replayed run; the replayed run is used." };
    }
    return { state: state, problem: "" };
  }

  function longestFitting(story, character, steps) {
    var state = start(story, character);
    for (var i = 0; i < steps.length; i++) {
      if (state.scene !== steps[i][0]) break;
      try {
        state = step(story, state, steps[i][1]);
      } catch (exc) {
        if (exc instanceof StepError) break;
        throw exc;
      }
    }
    return state;
  }

  return {
    FORMAT: FORMAT, FORMAT_VERSION: FORMAT_VERSION, CONTINUE: CONTINUE, SAVE_FORMAT: SAVE_FORMAT,
    AUTOSAVE_LABEL: AUTOSAVE_LABEL, StepError: StepError, SaveError: SaveError,
    loadStory: loadStory, start: start, view: view, available: available, step: step, replay: replay,
    statesOf: statesOf, choiceText: choiceText, namedValues: namedValues, pathOf: pathOf, pathLength: pathLength,
    applyEffect: applyEffect, pyRound: pyRound, pyStrip: pyStrip, compileNode: compileNode, render: render,
    compileText: compileText, forces: forces, transcript: transcript, oneLine: oneLine,
    explain: explain, WHY_HEADING: WHY_HEADING,
    toDocument: toDocument, encode: encode, readDocument: readDocument, readSaveBytes: readSaveBytes,
    loadDocument: loadDocument, isoSeconds: isoSeconds, pyLoads: pyLoads, floatRepr: floatRepr, MAX_SAVE_BYTES: MAX_SAVE_BYTES,
    ChapterError: ChapterError, historicalRun: historicalRun, chapterStart: chapterStart,
    entriesIn: entriesIn, entriesInScene: entriesInScene, beside: beside, sortDate: sortDate,
    reality: reality, realParagraphs: realParagraphs, realMarkdown: realMarkdown, REAL_HEADING: REAL_HEADING,
    buildRecord: buildRecord, trailer: trailer, transcriptFile: transcriptFile, studentName: studentName,
    ADVISORY: ADVISORY
  };
});
