#include "cli/rule_tests_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace crit {

namespace {

// Every problem of a case as lines: its diagnostics, then its failed expectations.
std::vector<std::string> problems(const CaseResult& r) {
    std::vector<std::string> out;
    for (std::size_t at = 0; at < r.diagnostics.size();) {
        std::size_t nl = r.diagnostics.find('\n', at);
        if (nl == std::string::npos) nl = r.diagnostics.size();
        out.push_back(r.diagnostics.substr(at, nl - at));
        at = nl + 1;
    }
    out.insert(out.end(), r.failures.begin(), r.failures.end());
    return out;
}

void text(const std::vector<CaseResult>& results, std::ostream& out) {
    int passed = 0, failed = 0;
    for (const auto& r : results) {
        if (r.passed) {
            ++passed;
            out << fmt::format("ok    {}\n", r.name);
        } else {
            ++failed;
            out << fmt::format("FAIL  {}  ({}:{})\n", r.name, r.file, r.line);
            for (const auto& line : problems(r)) out << "      " << line << "\n";
        }
        if (!r.explanation.empty()) out << "\n" << r.explanation << "\n";
    }
    out << fmt::format("{} passed, {} failed\n", passed, failed);
}

std::string xml(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            case '\'': o += "&apos;"; break;
            default:
                // XML 1.0 has no other control characters than tab and newlines.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') o += "?";
                else o += c;
        }
    }
    return o;
}

void junit(const std::vector<CaseResult>& results, std::ostream& out) {
    std::vector<std::string> files;
    for (const auto& r : results)
        if (std::find(files.begin(), files.end(), r.file) == files.end()) files.push_back(r.file);
    auto failed = [](const CaseResult& r) { return !r.passed; };
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << fmt::format("<testsuites name=\"crit test\" tests=\"{}\" failures=\"{}\">\n", results.size(),
                       std::count_if(results.begin(), results.end(), failed));
    for (const auto& f : files) {
        int n = 0, nf = 0;
        for (const auto& r : results)
            if (r.file == f) ++n, nf += failed(r);
        out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", xml(f), n, nf);
        for (const auto& r : results) {
            if (r.file != f) continue;
            out << fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"", xml(r.name), xml(f), xml(f), r.line);
            if (r.passed) {
                out << "/>\n";
                continue;
            }
            auto lines = problems(r);
            std::string body;
            for (const auto& l : lines) body += l + "\n";
            out << fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n", xml(lines.empty() ? "failed" : lines.front()), xml(body));
        }
        out << "  </testsuite>\n";
    }
    out << "</testsuites>\n";
}

void json(const std::vector<CaseResult>& results, std::ostream& out) {
    nlohmann::ordered_json j, cases = nlohmann::ordered_json::array();
    int passed = 0;
    for (const auto& r : results) {
        passed += r.passed;
        nlohmann::ordered_json c;
        c["name"] = r.name;
        c["file"] = r.file;
        c["line"] = r.line;
        c["passed"] = r.passed;
        c["failures"] = problems(r);
        if (!r.explanation.empty()) c["explanation"] = r.explanation;
        cases.push_back(std::move(c));
    }
    j["cases"] = std::move(cases);
    j["passed"] = passed;
    j["failed"] = static_cast<int>(results.size()) - passed;
    out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace

void write_test_results(const std::vector<CaseResult>& results, const std::string& format, std::ostream& out) {
    if (format == "junit") junit(results, out);
    else if (format == "json") json(results, out);
    else text(results, out);
}

}  // namespace crit
