// crit._crit: the Python binding of the library's facade (include/crit/crit.hpp), and
// nothing else: the pandas tables, the exceptions and Dask live in the Python package
// (python/crit). A run hands back columns, not one object per patient, so a cohort of
// 100k patients costs a few lists.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "crit/crit.hpp"

namespace py = pybind11;
using namespace crit::api;

namespace {

py::object none_or(const std::optional<std::string>& s) { return s ? py::object(py::str(*s)) : py::object(py::none()); }

py::dict report_dict(const DataReport& r) {
    py::list rejections;
    for (const auto& x : r.rejections) {
        py::dict d;
        d["file"] = x.file;
        d["line"] = x.line;
        d["path"] = x.path;
        d["patient"] = x.patient;
        d["reason"] = x.reason;
        d["detail"] = x.detail;
        d["skip"] = x.skip;
        rejections.append(d);
    }
    py::dict d;
    d["patients"] = r.patients;
    d["records"] = r.records;
    d["rejected"] = r.rejected;
    d["skipped"] = r.skipped;
    d["data_errors"] = r.data_errors;
    d["rejections"] = rejections;
    d["diagnostics"] = r.diagnostics;
    d["summary_line"] = r.summary_line();
    return d;
}

py::object value_of(const Value& v) {
    switch (v.kind) {
        case Value::Kind::Absent: return py::none();
        case Value::Kind::Boolean: return py::bool_(v.truth);
        default: return py::str(v.text);
    }
}

RunOptions run_options(const std::optional<std::string>& as_of, unsigned threads, bool explain = false) {
    RunOptions o;
    o.as_of = as_of;
    o.threads = threads;
    o.explain = explain;
    return o;
}

// Runs `pack` over `paths` without the GIL (the sink only fills C++ vectors), then builds
// Python objects from what it collected.
template <class Sink>
DataReport run_nogil(const Pack& pack, const std::vector<std::string>& paths, const RunOptions& o, Sink&& sink) {
    py::gil_scoped_release release;
    return pack.run(paths, o, sink);
}

}  // namespace

PYBIND11_MODULE(_crit, m) {
    m.doc() = "crit's library facade (include/crit/crit.hpp); use the crit package, not this module";

    py::class_<Diagnostic>(m, "Diagnostic")
        .def_readonly("severity", &Diagnostic::severity)
        .def_readonly("code", &Diagnostic::code)
        .def_readonly("file", &Diagnostic::file)
        .def_readonly("line", &Diagnostic::line)
        .def_readonly("column", &Diagnostic::column)
        .def_readonly("message", &Diagnostic::message)
        .def_readonly("rendered", &Diagnostic::rendered)
        .def("__str__", [](const Diagnostic& d) { return d.rendered; })
        .def("__repr__", [](const Diagnostic& d) {
            return "<Diagnostic " + d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + " " +
                   d.severity + "[" + d.code + "] " + d.message + ">";
        });

    // crit::api::Error becomes the package's exception of its kind (crit/errors.py), with
    // the diagnostics attached.
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const Error& e) {
            py::object exc = py::module_::import("crit.errors").attr("from_crit")(e.kind(), e.what(), e.diagnostics());
            PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
        }
    });

    py::class_<Pack>(m, "Pack")
        .def_static(
            "compile",
            [](const std::string& path, const std::string& bindings, const std::vector<std::string>& allow) {
                CompileOptions o;
                o.bindings = bindings;
                o.allow_bindings = allow;
                return Pack::compile(path, o);
            },
            py::arg("path"), py::arg("bindings") = "", py::arg("allow_bindings") = std::vector<std::string>{})
        .def_static(
            "compile_text",
            [](const std::string& name, const std::string& text, const std::string& bindings) {
                CompileOptions o;
                o.bindings = bindings;
                return Pack::compile_text(name, text, o);
            },
            py::arg("name"), py::arg("text"), py::arg("bindings") = "")
        .def_property_readonly("path", &Pack::path)
        .def_property_readonly("name", &Pack::name)
        .def_property_readonly("version", &Pack::version)
        .def_property_readonly("sha256", &Pack::sha256)
        .def_property_readonly("result_names", &Pack::result_names)
        .def_property_readonly("criterion_names", &Pack::criterion_names)
        .def_property_readonly("diagnostics", &Pack::diagnostics)
        // Columns: patient, as_of, then one list per result (None / bool / str).
        .def("_table",
             [](const Pack& pack, const std::vector<std::string>& paths, std::optional<std::string> as_of, unsigned threads) {
                 std::vector<Result> results;
                 DataReport r = run_nogil(pack, paths, run_options(as_of, threads),
                                          [&](Result&& x) { results.push_back(std::move(x)); });
                 py::dict cols;
                 py::list patients, dates;
                 std::vector<py::list> values(pack.result_names().size());
                 // Each result's kind (label, boolean, date), from the first patient with a value.
                 std::vector<Value::Kind> kinds(values.size(), Value::Kind::Absent);
                 for (const auto& x : results) {
                     patients.append(x.patient);
                     dates.append(none_or(x.as_of));
                     for (std::size_t i = 0; i < values.size() && i < x.values.size(); ++i) {
                         values[i].append(value_of(x.values[i]));
                         if (kinds[i] == Value::Kind::Absent) kinds[i] = x.values[i].kind;
                     }
                 }
                 static const char* const kKindNames[] = {"absent", "label", "boolean", "date"};
                 py::dict kind_of;
                 cols["patient"] = patients;
                 cols["as_of"] = dates;
                 auto names = pack.result_names();
                 for (std::size_t i = 0; i < names.size(); ++i) {
                     cols[py::str(names[i])] = values[i];
                     kind_of[py::str(names[i])] = kKindNames[static_cast<int>(kinds[i])];
                 }
                 py::dict report = report_dict(r);
                 report["kinds"] = kind_of;
                 return py::make_tuple(cols, report);
             })
        // Columns of the long table: patient, criterion, from, to, state.
        .def("_intervals",
             [](const Pack& pack, const std::vector<std::string>& paths, std::optional<std::string> as_of, unsigned threads) {
                 std::vector<std::string> patient, criterion, from, to, state;
                 DataReport r = run_nogil(pack, paths, run_options(as_of, threads), [&](Result&& x) {
                     for (auto& iv : x.intervals) {
                         patient.push_back(x.patient);
                         criterion.push_back(std::move(iv.criterion));
                         from.push_back(std::move(iv.from));
                         to.push_back(std::move(iv.to));
                         state.push_back(std::move(iv.state));
                     }
                 });
                 py::dict cols;
                 cols["patient"] = patient;
                 cols["criterion"] = criterion;
                 cols["from"] = from;
                 cols["to"] = to;
                 cols["state"] = state;
                 return py::make_tuple(cols, report_dict(r));
             })
        // `crit run`'s JSON lines as (patient, line) pairs, in input order.
        .def("_lines",
             [](const Pack& pack, const std::vector<std::string>& paths, std::optional<std::string> as_of, unsigned threads) {
                 std::vector<std::pair<std::string, std::string>> lines;
                 DataReport r = run_nogil(pack, paths, run_options(as_of, threads),
                                          [&](Result&& x) { lines.emplace_back(std::move(x.patient), std::move(x.json_line)); });
                 return py::make_tuple(lines, report_dict(r));
             })
        // One patient traced: (found, results, explanation text, explanation JSON, report).
        .def("_explain",
             [](const Pack& pack, const std::vector<std::string>& paths, const std::string& id, std::optional<std::string> as_of) {
                 std::optional<Result> res;
                 DataReport r;
                 {
                     py::gil_scoped_release release;
                     std::optional<Patient> p = pack.find(paths, id);
                     if (p) {
                         EvalOptions o;
                         o.as_of = as_of;
                         o.explain = true;
                         res = pack.evaluate(*p, o);
                     }
                 }
                 if (!res) return py::make_tuple(false, py::none(), "", "");
                 py::dict values;
                 for (const auto& v : res->values) values[py::str(v.name)] = value_of(v);
                 return py::make_tuple(true, values, res->explanation, res->explanation_json);
             });
}
