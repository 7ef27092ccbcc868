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
  var FORMAT_VERSION = 1;
  var CONTINUE = "-continue";
  var SAVE_FORMAT = 1;
  var MAX_SAVE_BYTES = 4 * 1024 * 1024;
  var AUTOSAVE_LABEL = "Autosave";

  function StepError(message) {
    var e = new Error(message);
    e.name = "StepError";
    Object.setPrototypeOf(e, StepError.prototype);
    return e;
  }
  StepError.prototype = Object.create(Error.prototype);
  StepError.prototype.constructor = StepError;

  function SaveError(message) {
    var e = new Error(message);
    e.name = "SaveError";
    Object.setPrototypeOf(e, SaveError.prototype);
    return e;
  }
  SaveError.prototype = Object.create(Error.prototype);
  SaveError.prototype.constructor = SaveError;

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
        fallback: s.fallback, resolve: s.resolve,
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

  function formatProblem(value) {
    if (typeof value === "number" && Number.isInteger(value)) {
      if (value === SAVE_FORMAT) return "";
      if (value > SAVE_FORMAT) return "saved by a newer version of the game (format " + value + "); update the game to load it";
      return "damaged: format " + value + " is not a save format of this game (it writes format " + SAVE_FORMAT + ")";
    }
    var shown = value === null || typeof value !== "object" ? String(JSON.stringify(value)).slice(0, 40) : Array.isArray(value) ? "list" : "dict";
    return "damaged: its format is " + shown + ", not the whole number " + SAVE_FORMAT;
  }

  /** A save document from its text (a file or the browser's storage), checked field by field. */
  function readDocument(text, name) {
    name = name || "this save";
    if (utf8Length(text) > MAX_SAVE_BYTES) throw SaveError(name + ": not a readable save: it is larger than any save");
    var doc;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw SaveError(name + ": damaged or truncated, not a readable save");
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc) || !("format" in doc) || !("path" in doc)) {
      throw SaveError(name + ": not a save file of this game");
    }
    // JSON.parse reads 1.0 as 1; the Python reader takes only the whole number 1, so look.
    var problem = formatProblem(doc.format);
    if (!problem && !/"format"\s*:\s*1\s*[,}]/.test(text)) problem = formatProblem(String(doc.format));
    if (problem) throw SaveError(name + ": " + problem);
    var steps = doc.path;
    var ok = Array.isArray(steps) && steps.every(function (p) {
      return Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && typeof p[1] === "string";
    });
    if (!ok || typeof doc.character !== "string") throw SaveError(name + ": damaged: its list of choices is unreadable");
    return doc;
  }

  function textField(value, limit) {
    return typeof value === "string" ? readable(value.slice(0, limit || 200)) : "";
  }

  function sameValues(a, b) {
    if (a === null || typeof a !== "object" || Array.isArray(a)) return false;
    var ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return kb.every(function (k) { return Object.prototype.hasOwnProperty.call(a, k) && a[k] === b[k]; });
  }

  /**
   * Restore a run from a save document on ``story``, as saves.load does: replay the path;
   * where the story has changed, keep the longest prefix that still fits and say why.
   * Returns {state, problem}; SaveError if nothing of it can be used.
   */
  function loadDocument(story, doc, name) {
    name = name || "this save";
    var saved = doc.story !== null && typeof doc.story === "object" && !Array.isArray(doc.story) ? doc.story : {};
    if (saved.id !== story.id) {
      throw SaveError(name + ": belongs to the story '" + textField(saved.id, 80) + "', not to '" + story.id + "'");
    }
    if (!story.characters.has(doc.character)) {
      throw SaveError(name + ": plays '" + textField(doc.character, 80) + "', who is not in this story");
    }
    var steps = doc.path.map(function (p) { return [p[0], p[1]]; });
    var version = saved.version;
    var savedVersion = (typeof version === "string" || typeof version === "number") ? textField(String(version), 80) : "";
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
    var snapshot = doc.state !== null && typeof doc.state === "object" && !Array.isArray(doc.state) ? doc.state : {};
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
    toDocument: toDocument, encode: encode, readDocument: readDocument, loadDocument: loadDocument,
    isoSeconds: isoSeconds
  };
});
