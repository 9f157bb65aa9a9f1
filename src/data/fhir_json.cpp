// The JSON layer of the FHIR loader: On-Demand values -> JNode, error texts,
// positions, and NDJSON line scanning and batches. See fhir_json.hpp.
#include "data/fhir_json.hpp"

#include <cstdint>
#include <filesystem>

#include <cstring>

#include <fmt/format.h>

#include "data/records.hpp"

namespace crit::fhir {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }


// ===========================================================================
// JSON

const char* JNode::kind_name() const {
    switch (kind) {
        case Kind::Null:
            return "null";
        case Kind::Bool:
            return "a boolean";
        case Kind::Number:
            return "a number";
        case Kind::String:
            return "a string";
        case Kind::Object:
            return "an object";
        case Kind::Array:
            return "an array";
    }
    return "?";
}

const std::string_view* str_at(const JNode* n, std::string_view key) {
    return n ? (n->get(key) ? n->get(key)->str() : nullptr) : nullptr;
}

JNode Json::read(od::value v) {
    Level level(depth_);
    JNode n;
    n.pos = pos(v);
    od::json_type t = v.type();
    switch (t) {
        case od::json_type::object: {
            n.kind = JNode::Kind::Object;
            auto& stack = arena_.member_stack_;
            std::size_t mark = stack.size();
            od::object o = v.get_object();
            for (auto f : o) {
                std::string_view key = f.unescaped_key();
                JNode value = read(f.value());  // pushes and pops its own children above `mark`
                stack.push_back(JMember{key, value});
            }
            auto run = JArena::close(stack, arena_.members_, mark);
            n.member_data = run.data();
            n.count = static_cast<std::uint32_t>(run.size());
            break;
        }
        case od::json_type::array: {
            n.kind = JNode::Kind::Array;
            auto& stack = arena_.item_stack_;
            std::size_t mark = stack.size();
            od::array a = v.get_array();
            for (auto e : a) {
                JNode item = read(e.value());
                stack.push_back(item);
            }
            auto run = JArena::close(stack, arena_.items_, mark);
            n.item_data = run.data();
            n.count = static_cast<std::uint32_t>(run.size());
            break;
        }
        case od::json_type::string:
            n.kind = JNode::Kind::String;
            n.text = v.get_string();
            break;
        case od::json_type::number:
            n.kind = JNode::Kind::Number;
            n.text = facts::trim(v.raw_json_token());
            n.number = v.get_double();
            break;
        case od::json_type::boolean:
            n.kind = JNode::Kind::Bool;
            n.flag = v.get_bool();
            break;
        case od::json_type::null:
            if (!bool(v.is_null())) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
            break;
    }
    return n;
}

void Json::skip(od::value v) {
    Level level(depth_);
    pos(v);
    od::json_type t = v.type();
    switch (t) {
        case od::json_type::object: {
            od::object o = v.get_object();
            for (auto f : o) {
                (void)std::string_view(f.unescaped_key());
                skip(f.value());
            }
            break;
        }
        case od::json_type::array: {
            od::array a = v.get_array();
            for (auto e : a) skip(e.value());
            break;
        }
        case od::json_type::string:
            (void)std::string_view(v.get_string());
            break;
        case od::json_type::number:
            (void)double(v.get_double());
            break;
        case od::json_type::boolean:
            (void)bool(v.get_bool());
            break;
        case od::json_type::null:
            if (!bool(v.is_null())) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
            break;
    }
}

JNode Json::resource(od::object o, std::uint32_t p, FieldFilter keep) {
    Level level(depth_);
    JNode n;
    n.pos = p;
    n.kind = JNode::Kind::Object;
    auto& stack = arena_.member_stack_;
    std::size_t mark = stack.size();
    std::string_view type;  // as far as read: the filter may depend on it
    for (auto f : o) {
        std::string_view key = f.unescaped_key();
        if (keep(key, type)) {
            JNode value = read(f.value());
            if (key == "resourceType") type = value.text;
            stack.push_back(JMember{key, value});
        } else {
            skip(f.value());
        }
    }
    auto run = JArena::close(stack, arena_.members_, mark);
    n.member_data = run.data();
    n.count = static_cast<std::uint32_t>(run.size());
    return n;
}

std::string json_error_text(const simdjson::simdjson_error& e) {
    switch (e.error()) {
        case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
            return "the text ends inside an object or array (truncated?)";
        case simdjson::UNCLOSED_STRING:
            return "a string is not closed (truncated?)";
        case simdjson::EMPTY:
            return "the text is empty";
        case simdjson::DEPTH_ERROR:
            return fmt::format("the JSON nests more than {} levels deep; no FHIR resource does", Json::kMaxDepth);
        default:
            return e.what();
    }
}

bool truncation(const simdjson::simdjson_error& e) {
    return e.error() == simdjson::INCOMPLETE_ARRAY_OR_OBJECT || e.error() == simdjson::UNCLOSED_STRING;
}

const char* Padded::set(std::string_view s) {
    if (buf_.size() < s.size() + simdjson::SIMDJSON_PADDING) buf_.resize(s.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(buf_.data(), s.data(), s.size());
    std::memset(buf_.data() + s.size(), 0, simdjson::SIMDJSON_PADDING);
    len_ = s.size();
    return buf_.data();
}

// ===========================================================================
// Positions

namespace {

Span span_at(const SourceFile& f, std::uint32_t pos) {
    pos = std::min<std::uint32_t>(pos, static_cast<std::uint32_t>(f.text().size()));
    return Span{&f, pos, std::min<std::uint32_t>(pos + 1, static_cast<std::uint32_t>(f.text().size()))};
}

}  // namespace

Diagnostic& error_at(Diagnostics& diags, const SourceFile& f, std::uint32_t pos, const std::string& msg) {
    Span s = span_at(f, pos);
    if (f.line_text(s.line()).size() <= 240) return diags.error(DiagCode::Timeline, s, msg);
    auto [line, col] = f.line_col(pos);
    return diags.error(DiagCode::Timeline, Span{}, fmt::format("{}:{}:{}: {}", f.name(), line, col, msg));
}

// ===========================================================================
// NDJSON lines

bool blank(std::string_view s) { return facts::trim(s).empty(); }

bool read_head(od::parser& parser, Padded& pad, LineHead& head) {
    od::document doc = pad.iterate(parser);
    if (od::json_type(doc.type()) != od::json_type::object) return false;
    od::object o = doc.get_object();
    for (auto f : o) {
        std::string_view k = f.unescaped_key();
        if (k == "resourceType" || k == "id") {
            od::value v = f.value();
            if (od::json_type(v.type()) == od::json_type::string)
                (k == "id" ? head.id : head.type) = std::string(std::string_view(v.get_string()));
        } else if ((k == "subject" || k == "patient") && head.ref.empty()) {
            od::value v = f.value();
            if (od::json_type(v.type()) != od::json_type::object) continue;
            od::object so = v.get_object();
            for (auto sf : so) {
                std::string_view sk = sf.unescaped_key();
                if (sk != "reference") continue;
                od::value sv = sf.value();
                if (od::json_type(sv.type()) == od::json_type::string)
                    head.ref = std::string(std::string_view(sv.get_string()));
            }
        }
        // other values are skipped by the iteration (structure checked; pass 2 validates the rest)
    }
    return true;
}

std::string reference_in_text(std::string_view s) {
    std::size_t at = s.find("\"subject\"");
    if (at == std::string_view::npos) return "";
    at = s.find("\"reference\"", at);
    if (at == std::string_view::npos) return "";
    at = s.find('"', s.find(':', at + 11));
    if (at == std::string_view::npos) return "";
    std::size_t end = s.find('"', at + 1);
    return end == std::string_view::npos ? "" : std::string(s.substr(at + 1, end - at - 1));
}

std::size_t batch_end(const std::vector<LineRef>& refs, const std::vector<std::size_t>& first, std::size_t pi,
                      std::size_t batch_bytes, std::size_t& bytes) {
    std::size_t pj = pi, patients = first.size() - 1;
    bytes = 0;
    while (pj < patients) {
        std::size_t size = 0;
        for (std::size_t r = first[pj]; r < first[pj + 1]; ++r) size += refs[r].length;
        if (pj > pi && bytes + size > batch_bytes) break;
        bytes += size;
        ++pj;
    }
    return pj;
}

void LineBatch::read(const std::vector<LineRef>& refs, std::size_t lo, std::size_t hi, std::size_t bytes) {
    std::vector<std::size_t> by_file(hi - lo);
    for (std::size_t i = 0; i < by_file.size(); ++i) by_file[i] = lo + i;
    std::sort(by_file.begin(), by_file.end(), [&](std::size_t a, std::size_t c) {
        return refs[a].file != refs[c].file ? refs[a].file < refs[c].file : refs[a].offset < refs[c].offset;
    });
    // Lines of one file that lie close together are read with one read call: an export
    // usually keeps a patient's (and a batch's) lines in runs, so a batch is a few large
    // sequential reads rather than a seek and a read per line. The bytes between the lines
    // of a run (at most kGap each, and at most half the batch's own size in all, so the
    // memory bound of a batch holds) are read too and not used.
    constexpr std::uint64_t kGap = 64 * 1024;
    std::uint64_t gap_budget = bytes / 2;
    struct Run {
        std::size_t from, to;  // by_file[from, to)
        std::uint64_t offset, end;
    };
    std::vector<Run> runs;
    std::size_t total = 0;
    for (std::size_t i = 0; i < by_file.size(); ++i) {
        const LineRef& ref = refs[by_file[i]];
        std::uint64_t end = ref.offset + ref.length;
        if (!runs.empty() && refs[by_file[runs.back().from]].file == ref.file && ref.offset >= runs.back().end &&
            ref.offset - runs.back().end <= std::min(kGap, gap_budget)) {
            gap_budget -= ref.offset - runs.back().end;
            total += end - runs.back().end;
            runs.back().end = end;
            runs.back().to = i + 1;
        } else {
            runs.push_back(Run{i, i + 1, ref.offset, end});
            total += ref.length;
        }
    }
    arena_.resize(total);
    lo_ = lo;
    where_.assign(hi - lo, 0);
    readable_.assign(hi - lo, true);
    std::size_t fill = 0;
    std::ifstream s;
    std::size_t open_file = SIZE_MAX;
    bool unchanged = false;
    for (const Run& run : runs) {
        std::size_t file = refs[by_file[run.from]].file;
        if (file != open_file) {
            s.close();
            open_file = file;
            unchanged = stamp_of(files_[open_file]) == stamps_[open_file];
            if (unchanged) s.open(files_[open_file], std::ios::binary);
        }
        std::size_t size = run.end - run.offset;
        std::size_t got = 0;
        if (unchanged && s.is_open()) {
            s.clear();
            s.seekg(static_cast<std::streamoff>(run.offset));
            s.read(arena_.data() + fill, static_cast<std::streamsize>(size));
            got = static_cast<std::size_t>(s.gcount());
        }
        for (std::size_t i = run.from; i < run.to; ++i) {
            const LineRef& ref = refs[by_file[i]];
            std::size_t at = static_cast<std::size_t>(ref.offset - run.offset);
            where_[by_file[i] - lo] = fill + at;
            readable_[by_file[i] - lo] = at + ref.length <= got;
        }
        fill += size;
    }
}

FileStamp stamp_of(const std::string& path) {
    std::error_code ec, ec2;
    FileStamp st;
    st.size = std::filesystem::file_size(path, ec);
    auto t = std::filesystem::last_write_time(path, ec2);
    st.ok = !ec && !ec2;
    if (st.ok) st.mtime = static_cast<std::int64_t>(t.time_since_epoch().count());
    else st.size = 0;
    return st;
}

std::optional<std::string_view> LineBatch::text(const std::vector<LineRef>& refs, std::size_t r) const {
    if (!readable_[r - lo_]) return std::nullopt;
    std::string_view text(arena_.data() + where_[r - lo_], refs[r].length);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    return text;
}

}  // namespace crit::fhir
