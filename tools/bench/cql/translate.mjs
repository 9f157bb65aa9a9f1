// CQL -> ELM JSON with the CQL translator built for JavaScript (@cqframework/cql),
// against the FHIR 4.0.1 model info that cql-exec-fhir ships.
//   node translate.mjs IN.cql OUT.json      (run from tools/bench/cql, after npm install)
// Exits 1, listing the translator's messages, when the library has errors.
import fs from "node:fs";
import { createRequire } from "node:module";
import { SystemModelInfoProvider } from "@cqframework/cql/cql";
import { CqlTranslator, CqlCompilerOptions, LibraryManager, ModelManager, createModelInfoProvider, createUcumService,
  stringAsSource }
  from "@cqframework/cql/cql-to-elm";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node translate.mjs IN.cql OUT.json");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const fhirInfo = fs.readFileSync(
  require.resolve("cql-exec-fhir/lib/modelInfos/fhir-modelinfo-4.0.1.xml"), "utf8");

const models = new ModelManager();
models.modelInfoLoader.registerModelInfoProvider(new SystemModelInfoProvider(), false);
models.modelInfoLoader.registerModelInfoProvider(createModelInfoProvider((id, system, version) =>
  id === "FHIR" && (version === null || version === "4.0.1") ? stringAsSource(fhirInfo) : null), true);

// The translator checks the units of quantity literals with a UCUM service it is
// given: the one cql-execution itself uses (@lhncbc/ucum-lhc). Only validation is
// needed here; the library multiplies no quantities at translation time.
const ucum = require("@lhncbc/ucum-lhc").UcumLhcUtils.getInstance();
const calendar = new Set(["year", "years", "month", "months", "week", "weeks", "day", "days",
  "hour", "hours", "minute", "minutes", "second", "seconds", "millisecond", "milliseconds"]);
const unsupported = () => { throw new Error("not needed to translate this library"); };
const ucumService = createUcumService(
  (value, from, to) => String(ucum.convertUnitTo(from, Number(value), to).toVal),
  (unit) => {
    if (calendar.has(unit)) return null;
    const v = ucum.validateUnitString(unit, true);
    return v.status === "valid" ? null : `${unit}: ${(v.msg || []).join("; ")}`;
  },
  unsupported, unsupported);
const libraries = new LibraryManager(models, undefined, undefined, ucumService);
const translator = CqlTranslator.fromText(fs.readFileSync(input, "utf8"), libraries);
const elm = JSON.parse(translator.toJson());
const messages = (elm.library.annotation || []).filter((a) => a.type === "CqlToElmError");
for (const m of messages) {
  console.error(`${input}:${m.startLine}:${m.startChar}: ${m.errorSeverity || "error"}: ${m.message}`);
}
if (messages.some((m) => (m.errorSeverity || "error") === "error")) process.exit(1);
fs.writeFileSync(output, JSON.stringify(elm));
console.error(`${input} -> ${output}`);
