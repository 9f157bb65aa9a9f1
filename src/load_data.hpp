// Patient data in: dispatches each input path to the loader for its format.
// Directories are walked (sorted, for reproducible output).
#pragma once
#include <string>
#include <vector>

#include "bindings.hpp"
#include "diag.hpp"
#include "load_yaml.hpp"

namespace crit {

// Loads every patient from `paths`. File-level failures go to diags (the run
// goes on with the other files); record-level ones to out.rejections.
void load_patients(const std::vector<std::string>& paths, const Bindings& b, LoadResult& out, Diagnostics& diags);

}  // namespace crit
