// A program built against an installed crit (find_package(crit), docs/library.md): runs a
// pack over data and prints what `crit run` prints, then explains one patient's first result.
//   consumer RULES DATA... [--explain PATIENT]
#include <cstring>
#include <iostream>

#include <crit/crit.hpp>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: consumer RULES DATA... [--explain PATIENT]\n";
        return 64;
    }
    std::vector<std::string> data;
    std::string explain;
    for (int i = 2; i < argc; ++i) {
        if (std::strcmp(argv[i], "--explain") == 0 && i + 1 < argc) explain = argv[++i];
        else data.push_back(argv[i]);
    }
    try {
        crit::api::Pack pack = crit::api::Pack::compile(argv[1]);
        if (!explain.empty()) {
            auto patient = pack.find(data, explain);
            if (!patient) {
                std::cerr << "no patient " << explain << "\n";
                return 2;
            }
            crit::api::EvalOptions o;
            o.explain = true;
            crit::api::Result r = pack.evaluate(*patient, o);
            for (const auto& v : r.values) std::cout << v.name << " = " << v.text << "\n";
            std::cout << r.intervals.size() << " intervals\n" << r.explanation;
            return 0;
        }
        crit::api::RunOptions o;
        o.threads = 2;
        crit::api::DataReport report =
            pack.run(data, o, [](crit::api::Result&& r) { std::cout << r.json_line << "\n"; });
        std::cout << report.summary_line() << "\n";
        return report.data_errors ? 2 : 0;
    } catch (const crit::api::Error& e) {
        std::cerr << e.what() << "\n";
        for (const auto& d : e.diagnostics()) std::cerr << "  " << d.code << " at " << d.file << ":" << d.line << "\n";
        return e.kind() == "rules" ? 1 : 2;
    }
}
