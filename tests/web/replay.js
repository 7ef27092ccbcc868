// Replays the runs Python chose through game/web/runtime.js and prints, as JSON, a hash
// of each run's records (tests/web/conformance.py builds the same records in Python),
// the full records of the runs asked for in "dump", and for "documents" the transcript (the
// Markdown and the file with its record), the timeline and the glossary entries of each
// scene, the save document and the state a Python-written save restores to.
//
//   node replay.js path/to/runtime.js input.json
"use strict";
const fs = require("fs");
const crypto = require("crypto");

const rt = require(require("path").resolve(process.argv[2]));
const input = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const t0 = process.hrtime.bigint();
const story = rt.loadStory(input.story);

function sortedPairs(entries) {
  return Array.from(entries).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

function record(state) {
  const v = rt.view(story, state);
  return [
    state.scene,
    state.values.slice(),
    Array.from(state.flags).sort(),
    sortedPairs(state.visits.entries()).map((e) => [e[0], e[1]]),
    sortedPairs(Array.from(state.taken).map((k) => k.split("\u0000"))),
    rt.pathLength(state),
    state.ending,
    state.reply,
    v.text,
    v.place,
    v.note,
    v.scene.title,
    v.scene.date,
    v.scene.when,
    v.scene.note.counterfactual,
    v.scene.note.sources.slice(),
    v.choices.map((c) => [c.id, c.text, c.enabled, c.locked]),
    rt.available(story, state),
    v.ending ? v.ending.title : null,
    v.endingText,
    v.epilogue,
    v.history,
  ];
}

// JSON as Python's json.dumps(ensure_ascii=True, separators=(",", ":")) writes it.
function canonical(rec) {
  return JSON.stringify(rec).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function play(run) {
  let state = rt.start(story, run.character);
  const records = [record(state)];
  for (const move of run.moves) {
    try {
      state = rt.step(story, state, move);
    } catch (exc) {
      if (!(exc instanceof rt.StepError)) throw exc;
      records.push(["error", exc.message]);
      continue;
    }
    records.push(record(state));
  }
  return { records, state };
}

const hashes = [];
const finals = [];
const dumps = {};
const wanted = new Set(input.dump || []);
input.runs.forEach((run, i) => {
  const { records, state } = play(run);
  hashes.push(crypto.createHash("sha256").update(records.map(canonical).join("\n"), "ascii").digest("hex"));
  finals.push(state);
  if (wanted.has(i)) dumps[i] = records;
});
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

const [y, mo, d, h, mi, s] = input.now;
const documents = (input.documents || []).map((doc) => {
  const final = finals[doc.index];
  const own = rt.encode(rt.toDocument(story, final, doc.label, new Date(y, mo - 1, d, h, mi, s)));
  const restored = rt.loadDocument(story, rt.readDocument(doc.save, "save"), "save");
  const now = new Date(y, mo - 1, d, h, mi, s);
  return {
    transcript: rt.transcript(story, final),
    transcript_file: rt.transcriptFile(story, final, doc.notes, now, ""),
    timeline: rt.beside(story, rt.statesOf(story, final)).map((r) => [r.date, r.side, r.title, r.text, r.counterfactual, r.scene]),
    glossary: rt.statesOf(story, final).map((st) => rt.entriesInScene(story, st).map((e) => e.name)),
    save: own,
    restored: crypto.createHash("sha256").update(canonical(record(restored.state)), "ascii").digest("hex"),
    problem: restored.problem,
  };
});

const whys = {};
for (const i of input.why || []) {
  const why = rt.explain(story, finals[i]);
  whys[i] = why ? why.paragraphs : null;
}

process.stdout.write(JSON.stringify({ hashes, dumps, documents, whys, seconds }));
