// The JSON layer of the FHIR loader (load_fhir.hpp): simdjson On-Demand values
// read into a small tree that remembers byte positions; positions -> lines and
// JSON paths for origins and diagnostics; and the NDJSON line reading that the
// two-pass Bulk loader is built on (the index's line scan and LineRef, the
// batches read back in file order). Nothing here knows a FHIR resource type;
// fhir_resources.hpp turns the tree into timeline records.
#pragma once
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "core/diag.hpp"
#include "core/source.hpp"

namespace crit::fhir {

namespace od = simdjson::ondemand;

bool starts_with(std::string_view s, std::string_view p);

// ===========================================================================
// JSON: the fields crit reads, as a small tree that remembers positions.
//
// The tree is views only: strings point into the parser's buffers (or the
// document), children into a JArena. A tree is valid until its parser reads
// the next document or its arena is cleared; whatever outlives that (an id, a
// unit, a code) is copied out by the Reader. A warm arena allocates nothing, so
// reading a resource costs no allocation per node.

struct JMember;

struct JNode {
    enum class Kind : std::uint8_t { Null, Bool, Number, String, Object, Array };
    Kind kind = Kind::Null;
    bool flag = false;
    std::uint32_t pos = 0;    // byte offset of the value in its document
    std::uint32_t count = 0;  // an object's members or an array's items
    double number = 0;
    std::string_view text;  // String: unescaped; Number: the token as written
    const JMember* member_data = nullptr;
    const JNode* item_data = nullptr;

    // An object's members, in order (empty for any other kind).
    std::span<const JMember> members() const;
    // An array's items (empty for any other kind).
    std::span<const JNode> items() const {
        return kind == Kind::Array ? std::span<const JNode>(item_data, count) : std::span<const JNode>();
    }
    // The member named `key` of an object; nullptr when absent or not an object.
    const JNode* get(std::string_view key) const;
    // The text of a string; nullptr for any other kind.
    const std::string_view* str() const { return kind == Kind::String ? &text : nullptr; }
    // "a string", "an object", ...: for messages.
    const char* kind_name() const;
};

struct JMember {
    std::string_view first;
    JNode second;
};

inline std::span<const JMember> JNode::members() const {
    return kind == Kind::Object ? std::span<const JMember>(member_data, count) : std::span<const JMember>();
}

inline const JNode* JNode::get(std::string_view key) const {
    for (const auto& [k, v] : members())
        if (k == key) return &v;
    return nullptr;
}

// Where the children of one document's JNodes live. Blocks are kept from one
// document to the next (clear() only rewinds), so once warm a document is read
// without allocating.
class JArena {
public:
    void clear() {
        members_.clear();
        items_.clear();
        member_stack_.clear();  // a document that failed midway leaves its partial children here
        item_stack_.clear();
    }

private:
    friend class Json;
    template <class T>
    class Pool {
    public:
        void clear() { block_ = used_ = 0; }
        // Copies n values into one contiguous run and returns it.
        const T* copy(const T* from, std::size_t n) {
            if (n == 0) return nullptr;
            while (true) {
                if (block_ == blocks_.size()) {
                    std::size_t size = std::max(n, kBlock);
                    blocks_.push_back(Block{std::make_unique<T[]>(size), size});
                }
                Block& b = blocks_[block_];
                if (b.size - used_ >= n) {
                    T* out = b.data.get() + used_;
                    std::copy(from, from + n, out);
                    used_ += n;
                    return out;
                }
                ++block_;
                used_ = 0;
            }
        }

    private:
        static constexpr std::size_t kBlock = 1024;
        struct Block {
            std::unique_ptr<T[]> data;
            std::size_t size;
        };
        std::vector<Block> blocks_;
        std::size_t block_ = 0, used_ = 0;
    };
    // What `stack` holds above `mark` (one node's children), copied into one run of `pool`
    // and popped.
    template <class T>
    static std::span<const T> close(std::vector<T>& stack, Pool<T>& pool, std::size_t mark) {
        std::size_t n = stack.size() - mark;
        std::span<const T> run(pool.copy(stack.data() + mark, n), n);
        stack.resize(mark);
        return run;
    }
    Pool<JMember> members_;
    Pool<JNode> items_;
    // Children being read, before they are copied out in one run (a parent's
    // children are contiguous even when they have children of their own).
    std::vector<JMember> member_stack_;
    std::vector<JNode> item_stack_;
};

// n[key] when it is a string, else nullptr (also for a null n).
const std::string_view* str_at(const JNode* n, std::string_view key);

// Which top-level fields of a resource are materialised (the rest are validated and dropped).
// Whether to keep member `key` of a resource whose resourceType (as far as read: empty
// when it comes later) is `type`.
using FieldFilter = bool (*)(std::string_view key, std::string_view type);

// Walks On-Demand values. Every value is visited, so a document that is not
// valid JSON always throws (simdjson::simdjson_error), even where crit does not read it.
class Json {
public:
    // `base` is where offset `shift` of the file is in memory (a Bundle read from the middle
    // of a file reports positions in the file). The document's nodes go to `arena`, which is
    // cleared: the trees of its previous document are gone.
    Json(JArena& arena, const char* base, std::uint32_t shift = 0) : arena_(arena), base_(base), shift_(shift) {
        arena_.clear();
    }

    // The byte offset of the last value visited: where an error was found.
    std::uint32_t last() const { return last_; }

    // The byte offset of `v` in its document.
    std::uint32_t pos(od::value& v) {
        last_ = static_cast<std::uint32_t>(v.raw_json_token().data() - base_) + shift_;
        return last_;
    }

    // The whole value, materialised.
    JNode read(od::value v);
    // Validates a value without keeping it.
    void skip(od::value v);
    // A resource: the fields `keep` accepts, materialised; the rest validated.
    JNode resource(od::value v, FieldFilter keep) {
        std::uint32_t p = pos(v);
        return resource(v.get_object(), p, keep);
    }
    JNode resource(od::object o, std::uint32_t p, FieldFilter keep);

    // FHIR resources nest a dozen levels; a value nested deeper than this is refused as
    // bad JSON (simdjson DEPTH_ERROR) before the recursive readers can exhaust the stack.
    static constexpr int kMaxDepth = 64;

private:
    // Counts one level of nesting for the duration of a read or skip.
    struct Level {
        explicit Level(int& d) : d_(d) {
            if (++d_ > kMaxDepth) {
                --d_;
                throw simdjson::simdjson_error(simdjson::DEPTH_ERROR);
            }
        }
        ~Level() { --d_; }
        int& d_;
    };
    JArena& arena_;
    const char* base_;
    std::uint32_t shift_ = 0;
    std::uint32_t last_ = 0;
    int depth_ = 0;
};

// A simdjson error in words ("the text ends inside an object or array (truncated?)").
std::string json_error_text(const simdjson::simdjson_error& e);
// The error says the text stopped early (an unclosed object, array or string).
bool truncation(const simdjson::simdjson_error& e);

// A reusable padded copy of one NDJSON line (On-Demand reads past the end).
class Padded {
public:
    // Copies `s` in; returns the copy (its byte offsets are the line's).
    const char* set(std::string_view s);
    od::document iterate(od::parser& p) { return p.iterate(buf_.data(), len_, buf_.size()); }

private:
    std::vector<char> buf_;
    std::size_t len_ = 0;
};

// ===========================================================================
// Positions: where a resource came from, for origins and rejections.

struct Place {
    Place(const std::string& f, const SourceFile* s, std::uint32_t l, std::string p = "", std::string r = "")
        : file(f), src(s), line(l), prefix(std::move(p)), record(std::move(r)) {}
    const std::string& file;
    const SourceFile* src = nullptr;  // a Bundle's text: byte offsets -> lines
    std::uint32_t line = 0;           // NDJSON: the resource's line
    std::string prefix;               // the resource's JSON path in its document ("entry[3].resource"), or ""
    // Names the accepted record in its Origin. A Place is one resource, so one record: its name
    // is moved into that record's Origin (hence mutable: the Reader sees a const Place).
    mutable std::string record;

    // The line of `n`: its own in a Bundle, the resource's in NDJSON.
    std::uint32_t line_of(const JNode* n) const {
        if (src && n) return static_cast<std::uint32_t>(src->line_col(n->pos).first);
        return line;
    }
    // The JSON path of a field of the resource ("entry[3].resource.valueQuantity.code").
    std::string path(std::string_view sub) const {
        if (prefix.empty()) return std::string(sub);
        if (sub.empty()) return prefix;
        return prefix + "." + std::string(sub);
    }
};

// An error at byte `pos` of a JSON file: with the source line when it is short
// enough to show (a minified Bundle is one long line), else as file:line:col.
Diagnostic& error_at(Diagnostics& diags, const SourceFile& f, std::uint32_t pos, const std::string& msg);

// ===========================================================================
// NDJSON lines

// One indexed resource line (24 bytes).
// 40 bits of offset (1 TiB per file) and 24 of file number (16.7 million files) share
// one word; the loader refuses an export beyond either rather than wrap around.
struct LineRef {
    std::uint64_t offset : 40;
    std::uint64_t file : 24;
    std::uint32_t length;
    std::uint32_t line;
    std::uint32_t key;  // patient key
    std::uint8_t type;  // the loader's index of its resourceType
};
static_assert(sizeof(LineRef) <= 24);
inline constexpr std::uint64_t kMaxNdjsonOffset = (std::uint64_t{1} << 40) - 1;
inline constexpr std::uint64_t kMaxNdjsonFiles = std::uint64_t{1} << 24;

// What a file was when the index read it: pass 2 refuses to read it back if it changed.
struct FileStamp {
    std::uintmax_t size = 0;
    std::int64_t mtime = 0;  // file_time_type ticks
    bool ok = false;         // stat succeeded
    bool operator==(const FileStamp&) const = default;
};
FileStamp stamp_of(const std::string& path);

// Calls fn(offset, line_no, text, terminated) for each line of a file, read in
// 1 MiB blocks; `text` has no line end. Returns false on a read error.
template <class Fn>
bool for_each_line(std::ifstream& in, Fn&& fn) {
    constexpr std::size_t block = std::size_t{1} << 20;
    std::string carry;
    std::vector<char> buf(block);
    std::uint64_t offset = 0;  // of carry's first byte
    std::uint32_t line = 0;
    while (true) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        std::size_t got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        std::string_view chunk(buf.data(), got);
        std::size_t start = 0;
        while (true) {
            std::size_t nl = chunk.find('\n', start);
            if (nl == std::string_view::npos) {
                carry.append(chunk.substr(start));
                break;
            }
            std::string_view text;
            std::uint64_t at = offset;
            if (!carry.empty()) {
                carry.append(chunk.substr(start, nl - start));
                text = carry;
            } else {
                text = chunk.substr(start, nl - start);
            }
            std::size_t len = text.size();
            if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
            fn(at, ++line, text, true);
            offset = at + len + 1;
            carry.clear();
            start = nl + 1;
        }
    }
    if (!carry.empty()) {
        std::string_view text = carry;
        if (text.back() == '\r') text.remove_suffix(1);
        fn(offset, ++line, text, false);
    }
    return !in.bad();
}

bool blank(std::string_view s);

// What the index reads of a line: resourceType, id and the subject (or
// patient) reference, as strings; "" when absent or not a string.
struct LineHead {
    std::string type, id, ref;
};

// Reads the head of the line in `pad`, skipping the other values (their
// structure is checked; they are validated when the line is read whole).
// Returns false when the line is not a JSON object. Throws simdjson_error when
// it is not valid JSON; `head` then keeps what was read before the error.
bool read_head(od::parser& parser, Padded& pad, LineHead& head);

// The subject reference of a line that is not valid JSON, read from its text
// when it can be (a truncated line usually still names its patient): the
// rejection then says whose record was lost.
std::string reference_in_text(std::string_view s);

// Sorts `refs` by (rank of their patient, file, offset) and returns first[]:
// the refs of the patient of rank i are [first[i], first[i+1]). rank(key) < patients.
template <class Rank>
std::vector<std::size_t> group_by_patient(std::vector<LineRef>& refs, std::size_t patients, Rank&& rank) {
    std::sort(refs.begin(), refs.end(), [&](const LineRef& a, const LineRef& c) {
        if (rank(a.key) != rank(c.key)) return rank(a.key) < rank(c.key);
        if (a.file != c.file) return a.file < c.file;
        return a.offset < c.offset;
    });
    std::vector<std::size_t> first(patients + 1, refs.size());
    for (std::size_t i = refs.size(); i-- > 0;) first[rank(refs[i].key)] = i;
    for (std::size_t i = patients; i-- > 0;) first[i] = std::min(first[i], first[i + 1]);
    return first;
}

// The end of the batch of patients that starts at rank `pi`: whole patients
// whose lines total at most `batch_bytes` (one larger patient is a batch of its
// own). `bytes` is set to the batch's text size.
std::size_t batch_end(const std::vector<LineRef>& refs, const std::vector<std::size_t>& first, std::size_t pi,
                      std::size_t batch_bytes, std::size_t& bytes);

// The text of a batch of lines, read back from their files in file order
// (sequential I/O). The streams stay open from one batch to the next.
// Reads the lines of a batch back, file by file in offset order, with one file open
// at a time (an export may have more files than the process may open).
class LineBatch {
public:
    LineBatch(const std::vector<std::string>& files, const std::vector<FileStamp>& stamps)
        : files_(files), stamps_(stamps) {}

    // Reads refs[lo, hi), `bytes` of text in all.
    void read(const std::vector<LineRef>& refs, std::size_t lo, std::size_t hi, std::size_t bytes);
    // The text of refs[r], without a trailing '\r'; nullopt when the line could
    // not be read again: the file changed since the index read it (size or modification
    // time), or it can no longer be read.
    std::optional<std::string_view> text(const std::vector<LineRef>& refs, std::size_t r) const;

private:
    const std::vector<std::string>& files_;
    const std::vector<FileStamp>& stamps_;
    std::string arena_;
    std::size_t lo_ = 0;
    std::vector<std::size_t> where_;  // offset in arena_ of refs[lo_ + i]
    std::vector<bool> readable_;
};

}  // namespace crit::fhir
