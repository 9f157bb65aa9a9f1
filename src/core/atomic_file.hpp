// A file written whole or not at all. The text goes to a temporary beside the target
// (a new file is created 0600: results and rejects hold patient data; a replaced file keeps
// its mode), and commit() renames it over the target; an output left uncommitted (a failed write, a killed run) never appears under
// the final name, and a failed `crit fmt` leaves the rule file as it was. A target that is a
// device or a pipe is written in place, every write still checked.
#pragma once
#include <fstream>
#include <string>

namespace crit {

class AtomicFile {
public:
    // Creates the temporary now, so an unwritable path is found before any work is done.
    // On failure `error()` says why and the stream is not open.
    explicit AtomicFile(std::string path);
    ~AtomicFile();  // removes the temporary unless committed
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    std::ostream& stream() { return out_; }
    // Flushes, checks every write succeeded, syncs and renames over the target.
    bool commit();

private:
    std::string path_, target_, temp_, error_;
    std::ofstream out_;
    bool committed_ = false;
    bool direct_ = false;  // the target is a device or pipe: written in place
};

// Flushes `out` and says whether every write to it succeeded (a full disk, a closed stdout).
bool flushed(std::ostream& out);

}  // namespace crit
