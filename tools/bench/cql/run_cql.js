// Runs the ELM of CqlEquivalent.cql with cql-execution + cql-exec-fhir over a FHIR
// Bulk NDJSON export (the files gen_ndjson.py writes), and prints one CSV line per
// patient: patient,met,counts_sustained,lymphocytes_halved,sustained_from.
//   node run_cql.js ELM.json NDJSON_DIR [BATCH]      (run from tools/bench/cql)
// cql-exec-fhir takes one Bundle per patient, so the export's lines are grouped by
// patient first (kept as text: the export is visit-major, every file mixes patients),
// then parsed and executed BATCH patients at a time. Timings go to stderr.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");
const cql = require("cql-execution");
const cqlfhir = require("cql-exec-fhir");

const FILES = ["Patient", "Condition", "Observation", "MedicationAdministration", "Procedure"];
const EXPRESSIONS = ["Met", "Counts Sustained", "Lymphocytes Halved", "Sustained From"];

async function groupByPatient(dir) {
  const byPatient = new Map();  // id -> lines (the Patient line first)
  const at = (id) => {
    let lines = byPatient.get(id);
    if (!lines) byPatient.set(id, (lines = []));
    return lines;
  };
  for (const type of FILES) {
    const file = path.join(dir, `${type}.ndjson`);
    if (!fs.existsSync(file)) continue;
    const input = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    let n = 0;
    for await (const line of input) {
      n++;
      if (!line.trim()) continue;
      let id;
      if (type === "Patient") {
        id = JSON.parse(line).id;
      } else {
        const m = /"subject":\{"reference":"Patient\/([^"]+)"/.exec(line);
        const ref = m ? m[1] : ((JSON.parse(line).subject || {}).reference || "").replace(/^Patient\//, "");
        if (!ref) throw new Error(`${file}:${n}: a ${type} without subject.reference`);
        id = ref;
      }
      at(id).push(line);
    }
  }
  return byPatient;
}

function cell(v) {
  if (v === null || v === undefined) return "";
  return typeof v === "boolean" ? String(v) : v.toString();
}

async function main() {
  const [elmFile, dir, batchArg] = process.argv.slice(2);
  if (!elmFile || !dir) {
    console.error("usage: node run_cql.js ELM.json NDJSON_DIR [BATCH]");
    process.exit(2);
  }
  const batch = Number(batchArg || 250);
  const t0 = process.hrtime.bigint();
  const library = new cql.Library(JSON.parse(fs.readFileSync(elmFile, "utf8")));
  const executor = new cql.Executor(library);
  const byPatient = await groupByPatient(dir);
  const t1 = process.hrtime.bigint();
  const ids = [...byPatient.keys()];
  const out = ["patient,met,counts_sustained,lymphocytes_halved,sustained_from"];
  let tParse = 0n, tExec = 0n;
  for (let i = 0; i < ids.length; i += batch) {
    const a = process.hrtime.bigint();
    const bundles = ids.slice(i, i + batch).map((id) => ({
      resourceType: "Bundle", type: "collection",
      entry: byPatient.get(id).map((line) => ({ resource: JSON.parse(line) })),
    }));
    const source = cqlfhir.PatientSource.FHIRv401();
    source.loadBundles(bundles);
    const b = process.hrtime.bigint();
    const results = await executor.exec(source);
    const c = process.hrtime.bigint();
    tParse += b - a; tExec += c - b;
    for (const id of ids.slice(i, i + batch)) {
      const r = results.patientResults[id];
      if (!r) throw new Error(`no result for patient ${id}`);
      out.push([id, ...EXPRESSIONS.map((e) => cell(r[e]))].join(","));
      byPatient.delete(id);
    }
  }
  process.stdout.write(out.join("\n") + "\n");
  const ms = (x) => (Number(x) / 1e6).toFixed(0);
  console.error(`cql: ${ids.length} patients; read and group ${ms(t1 - t0)} ms, ` +
    `JSON.parse + bundles ${ms(tParse)} ms, execute ${ms(tExec)} ms`);
}

main().catch((e) => { console.error(e); process.exit(1); });
