// The few small enums both sides of the bytecode speak: the language writes them
// into instructions and items, the VM reads them back. They live here, below both,
// so that the VM needs neither the AST nor the compiler to know what `<` means.
#pragma once
#include <cstdint>
#include <iterator>

namespace crit {

// Identity of an AST node; instructions, items and traces refer back to nodes by id.
using NodeId = std::uint32_t;

enum class CmpOp : std::uint8_t { Lt, Le, Gt, Ge, Eq, Ne };
inline constexpr std::uint32_t kCmpOpCount = static_cast<std::uint32_t>(CmpOp::Ne) + 1;

// What an expression or item denotes, once checked.
enum class Type : std::uint8_t { Unknown, Truth, Quantity, Date, Episode, Coded };

// Windows of the WINDOW instruction.
enum class WindowKind : std::uint8_t { After, Before, From, At, Within, AtLeastAfter };
inline constexpr std::uint32_t kWindowKindCount = static_cast<std::uint32_t>(WindowKind::AtLeastAfter) + 1;

// How a named result is decided: the first criterion that holds in rank order,
// the first of several conditions, or one value.
enum class ResultKind : std::uint8_t { FirstOf, Choices, Value };

// Dates every patient has (the operand of PATIENT_DATE; names the checker resolves).
enum class PatientDate : std::uint8_t { Diagnosis, Birth };
inline constexpr const char* kPatientDateNames[] = {"diagnosis", "birth"};
inline constexpr std::uint32_t kPatientDateCount = static_cast<std::uint32_t>(PatientDate::Birth) + 1;
static_assert(std::size(kPatientDateNames) == kPatientDateCount);

const char* cmp_name(CmpOp op);
const char* type_name(Type t);
// The letter of a runtime value type in stack signatures: T, Q, D, E (? otherwise).
char type_letter(Type t);
const char* window_name(WindowKind w);

}  // namespace crit
