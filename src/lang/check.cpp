#include "lang/check.hpp"

#include <functional>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lang/ast_print.hpp"
#include "lang/lint.hpp"

namespace crit {

namespace {

constexpr std::int64_t kMaxDurationDays = 100LL * 366;

class Checker {
public:
    Checker(Module& m, const Bindings& b, CheckedModule& out, Diagnostics& d) : m_(m), b_(b), out_(out), d_(d) {}

    void run() {
        collect_names();
        out_.alias_concept.assign(m_.definitions.size(), -1);
        def_state_.assign(m_.definitions.size(), 0);
        crit_state_.assign(m_.criteria.size(), 0);
        def_chain_.assign(m_.definitions.size(), 0);
        crit_chain_.assign(m_.criteria.size(), 0);
        def_type_.assign(m_.definitions.size(), Type::Unknown);
        if (m_.header) check_header(*m_.header);
        if (m_.baseline) {
            Ctx ctx;
            Type t = expr(*m_.baseline->anchor, ctx);
            expect(*m_.baseline->anchor, t, Type::Date, "the baseline anchor");
            if (m_.baseline->window.months < 0 || m_.baseline->window.days < 0 ||
                max_days(m_.baseline->window) == 0 || max_days(m_.baseline->window) > kMaxDurationDays)
                d_.error(DiagCode::BadDuration, m_.baseline->span,
                         "the baseline window must be longer than zero and at most 100 years");
        }
        for (std::size_t i = 0; i < m_.normals.size(); ++i) check_normal(static_cast<int>(i));
        for (std::size_t i = 0; i < m_.definitions.size(); ++i) visit_definition(static_cast<int>(i));
        for (std::size_t i = 0; i < m_.criteria.size(); ++i) visit_criterion(static_cast<int>(i));
        for (auto& r : m_.results) check_result(r);
    }

private:
    struct Ctx {
        bool baseline_mode = false;  // inside a `normal` range: judged at baseline, no time operators
        const Expr* subject = nullptr;  // last explicit subject in the clause, for borrowing
    };

    void collect_names() {
        std::map<std::string, std::pair<Span, const char*>> seen;
        auto declare = [&](const std::string& name, Span s, const char* what) {
            auto [it, fresh] = seen.emplace(name, std::make_pair(s, what));
            if (!fresh) {
                auto& diag = d_.error(DiagCode::Redefined, s,
                                      fmt::format("`{}` is already defined {}; names in a file must be unique", name,
                                                  it->second.second));
                diag.notes.push_back(fmt::format("first defined at {}", it->second.first.where()));
                return false;
            }
            if (b_.concept_by_name(name))
                d_.warning(DiagCode::Shadow, s,
                           fmt::format("`{}` hides the concept of the same name from the bindings in this file", name));
            return true;
        };
        for (std::size_t i = 0; i < m_.definitions.size(); ++i)
            if (declare(m_.definitions[i].name, m_.definitions[i].name_span, "as a definition"))
                defs_[m_.definitions[i].name] = static_cast<int>(i);
        for (std::size_t i = 0; i < m_.criteria.size(); ++i)
            if (declare(m_.criteria[i].name, m_.criteria[i].name_span, "as a criterion"))
                crits_[m_.criteria[i].name] = static_cast<int>(i);
        std::map<std::string, Span> results;
        for (const auto& r : m_.results) {
            auto [it, fresh] = results.emplace(r.name, r.name_span);
            if (!fresh) d_.error(DiagCode::Redefined, r.name_span, fmt::format("result `{}` is defined twice", r.name));
        }
    }

    std::vector<std::string> all_names() const {
        auto v = b_.concept_names();
        for (const auto& [n, i] : defs_) v.push_back(n);
        for (const auto& [n, i] : crits_) v.push_back(n);
        v.insert(v.end(), std::begin(kPatientDateNames), std::end(kPatientDateNames));
        return v;
    }

    void check_header(const Header& h) {
        if (h.hold && (h.hold->months < 0 || h.hold->days < 0 || max_days(*h.hold) == 0 ||
                       max_days(*h.hold) > kMaxDurationDays))
            d_.error(DiagCode::Header, h.span,
                     fmt::format("`hold {}`: a result must stand for at least a day and at most 100 years",
                                 format_duration(*h.hold)));
        if (h.source.empty())
            d_.warning(DiagCode::Header, h.span,
                       "the guideline header names no `source`: auditors need the source document (paper, table)");
        // The disease decides which patients the pack classifies: a name the bindings do not
        // know would let it classify every patient of every disease.
        if (!h.disease.empty() && !b_.diagnosis_by_text(h.disease)) {
            auto& diag = d_.error(DiagCode::Header, h.span,
                                  fmt::format("`disease {}` is not a diagnosis in the bindings ({})", h.disease,
                                              fmt::join(b_.diagnosis_names(), ", ")));
            diag.suggestion = closest_name(h.disease, b_.diagnosis_names());
        }
    }

    // ---- named items, visited in dependency order --------------------------
    static constexpr int kMaxChain = 256;
    int chain_depth_ = 0;

    // Checks item i of one kind once, after what it names: `state` is 0 (not yet), 1 (being
    // checked: meeting it again is a cycle, reported at its name) or 2 (done).
    template <typename Cycle, typename Body>
    void in_order(std::vector<int>& state, std::vector<int>& chain, int i, const Span& name_span, Cycle&& cycle,
                  Body&& body) {
        if (state[i] == 2) return;
        if (state[i] == 1) {
            d_.error(DiagCode::Cycle, name_span, cycle());
            state[i] = 2;
            return;
        }
        // Each nested item costs the checker and the compiler a level of recursion: the chain
        // is bounded with a clear error, well below what any stack takes.
        if (chain_depth_ >= kMaxChain) {
            d_.error(DiagCode::TooDeep, name_span,
                     fmt::format("this is reached through a chain of more than {} definitions and criteria, each "
                                 "naming the next; shorten the chain",
                                 kMaxChain));
            state[i] = 2;
            return;
        }
        state[i] = 1;
        ++chain_depth_;
        int acc = 0;
        int* saved = chain_acc_;
        chain_acc_ = &acc;
        body();
        chain_acc_ = saved;
        --chain_depth_;
        chain[i] = acc + 1;
        if (chain[i] == kMaxChain + 1)
            d_.error(DiagCode::TooDeep, name_span,
                     fmt::format("this is reached through a chain of more than {} definitions and criteria, each "
                                 "naming the next; shorten the chain",
                                 kMaxChain));
        state[i] = 2;
    }

    void visit_definition(int i) {
        auto& def = m_.definitions[i];
        in_order(
            def_state_, def_chain_, i, def.name_span, [&] { return fmt::format("`{}` is defined in terms of itself", def.name); },
            [&] {
                Ctx ctx;
                Type t = expr(*def.value, ctx);
                def_type_[i] = t;
                if (t == Type::Quantity || t == Type::Coded) {
                    // Only a plain rename of a concept may stand for a quantity.
                    if (def.value->kind == ExprKind::Name && def.value->r.ref == Expr::Resolved::Ref::Concept)
                        out_.alias_concept[i] = def.value->r.index;
                    else
                        d_.error(DiagCode::TypeMismatch, def.value->span,
                                 fmt::format("`{}` would name {}; a definition names a clause, a date, a treatment "
                                             "episode or another concept",
                                             def.name, type_name(t)));
                }
            });
    }

    void visit_criterion(int i) {
        auto& c = m_.criteria[i];
        in_order(
            crit_state_, crit_chain_, i, c.name_span, [&] { return fmt::format("criterion `{}` depends on itself", c.name); },
            [&] {
                Ctx ctx;
                Type t = expr(*c.body, ctx);
                expect(*c.body, t, Type::Truth, fmt::format("the body of criterion `{}`", c.name));
                if (c.cites.empty())
                    d_.warning(DiagCode::NoCitation, c.name_span,
                               fmt::format("criterion `{}` cites no source; add `cite \"<paper>, <table>\"`", c.name));
            });
    }

    void check_normal(int i) {
        auto& n = m_.normals[i];
        auto cid = b_.concept_by_name(n.concept_name);
        if (!cid) {
            auto& diag = d_.error(DiagCode::UnknownName, n.name_span,
                                  fmt::format("`{}` is not a concept in the bindings ({})", n.concept_name, b_.source_name));
            diag.suggestion = closest_name(n.concept_name, b_.concept_names());
            return;
        }
        Ctx ctx;
        ctx.baseline_mode = true;
        Type t = expr(*n.expr, ctx);
        expect(*n.expr, t, Type::Truth, "a normal range");
        // `normal lymphocytes < 30%` is the range of the measure its unit picked (`measure_of`).
        int key = *cid;
        const Expr& e = *n.expr;
        if ((e.kind == ExprKind::Compare || e.kind == ExprKind::Change) && e.kids[0] &&
            e.kids[0]->text == n.concept_name && e.kids[0]->r.subject_concept >= 0)
            key = e.kids[0]->r.subject_concept;
        if (out_.normal_of_concept.count(key)) {
            d_.error(DiagCode::Redefined, n.name_span,
                     key == *cid ? fmt::format("the normal range of `{}` is given twice", n.concept_name)
                                 : fmt::format("the normal range of `{}` as `{}` is given twice", n.concept_name,
                                               b_.concepts[key].name));
            return;
        }
        out_.normal_of_concept[key] = i;
    }

    void check_result(ResultDef& r) {
        if (r.kind == ResultDef::Kind::Value) {
            Ctx ctx;
            Type t = expr(*r.value, ctx);
            if (t != Type::Truth && t != Type::Date && t != Type::Unknown)
                d_.error(DiagCode::EmptyResult, r.value->span,
                         fmt::format("a result is a label, a truth or a date; this is {}", type_name(t)));
            return;
        }
        if (r.choices.empty()) d_.error(DiagCode::EmptyResult, r.span, "the result has no choices");
        for (auto& ch : r.choices) {
            Ctx ctx;
            Type t = expr(*ch.cond, ctx);
            expect(*ch.cond, t, Type::Truth, fmt::format("the condition for `{}`", ch.label));
        }
        if (r.until) {
            Ctx ctx;
            expr(*r.until, ctx);
            if (r.until->r.ref != Expr::Resolved::Ref::Criterion) {
                if (r.until->r.ref != Expr::Resolved::Ref::None)
                    d_.error(DiagCode::TypeMismatch, r.until->span,
                             fmt::format("`until {}`: the terminating category must be a criterion of this file",
                                         r.until->text));
                return;
            }
            bool ranked = false;
            for (const auto& ch : r.choices)
                ranked |= ch.cond->r.ref == Expr::Resolved::Ref::Criterion && ch.cond->r.index == r.until->r.index;
            if (!ranked)
                d_.error(DiagCode::EmptyResult, r.until->span,
                         fmt::format("`until {}` names a category this `first of` does not rank; list it too (as in "
                                     "`first of CR, PR, SD, PD, until PD`)", r.until->text));
        }
    }

    // ---- expressions ----------------------------------------------------------
    bool expect(const Expr& e, Type got, Type want, const std::string& what) {
        if (got == want || got == Type::Unknown) return got == want;
        d_.error(DiagCode::TypeMismatch, e.span,
                 fmt::format("{} must be {}, but `{}` is {}", what, type_name(want), expr_source(e), type_name(got)));
        return false;
    }

    Type set(Expr& e, Type t) {
        e.r.type = t;
        return t;
    }

    Type name(Expr& e) {
        if (auto it = defs_.find(e.text); it != defs_.end()) {
            visit_definition(it->second);
            if (chain_acc_) *chain_acc_ = std::max(*chain_acc_, def_chain_[it->second]);
            e.r.ref = Expr::Resolved::Ref::Definition;
            e.r.index = it->second;
            if (int c = out_.alias_concept[it->second]; c >= 0) return concept_ref(e, static_cast<ConceptId>(c));
            return set(e, def_type_[it->second]);
        }
        if (auto it = crits_.find(e.text); it != crits_.end()) {
            visit_criterion(it->second);
            if (chain_acc_) *chain_acc_ = std::max(*chain_acc_, crit_chain_[it->second]);
            e.r.ref = Expr::Resolved::Ref::Criterion;
            e.r.index = it->second;
            return set(e, Type::Truth);
        }
        if (auto c = b_.concept_by_name(e.text)) return concept_ref(e, *c);
        for (std::uint32_t i = 0; i < kPatientDateCount; ++i)
            if (e.text == kPatientDateNames[i]) {
                e.r.ref = Expr::Resolved::Ref::Builtin;
                e.r.index = i;
                return set(e, Type::Date);
            }
        auto& diag = d_.error(DiagCode::UnknownName, e.span,
                              fmt::format("unknown name `{}`: not a criterion or definition in this file, nor a concept in the bindings",
                                          e.text));
        diag.suggestion = closest_name(e.text, all_names());
        return set(e, Type::Unknown);
    }

    Type concept_ref(Expr& e, ConceptId c) {
        const Concept& k = b_.concepts[c];
        e.r.ref = Expr::Resolved::Ref::Concept;
        e.r.index = c;
        e.r.subject_concept = c;
        e.r.dim = k.unit.dim;
        switch (k.kind) {
            case ValueKind::Quantity: return set(e, Type::Quantity);
            case ValueKind::Boolean: return set(e, Type::Truth);
            case ValueKind::Coded: return set(e, Type::Coded);
        }
        return set(e, Type::Unknown);
    }

    Type quantity(Expr& e) {
        set(e, Type::Quantity);
        if (e.text.empty()) {
            e.r.dim = Dimension::None;
            e.r.canonical = e.number;
            return Type::Quantity;
        }
        auto u = find_unit(e.text);
        if (!u) {
            auto& diag = d_.error(DiagCode::UnknownUnit, e.span, fmt::format("unknown unit `{}`", e.text));
            diag.suggestion = closest_name(e.text, unit_spellings());
            diag.notes.push_back("units crit knows: x10^9/L, 10*9/L, 10*3/uL, /uL, g/dL, g/L, %, cm, mm, cm2");
            e.r.dim = Dimension::None;
            return Type::Unknown;
        }
        e.r.dim = u->dim;
        e.r.canonical = to_canonical(e.number, *u);
        return Type::Quantity;
    }

    // The subject of a relation: explicit, or borrowed from the clause before it.
    Type subject(Expr& rel, Ctx& ctx) {
        if (!rel.kids[0]) {
            if (!ctx.subject) {
                d_.error(DiagCode::NoSubject, rel.span,
                         fmt::format("`{}` does not say what it compares; name the concept, e.g. `platelets {}`",
                                     expr_source(rel), expr_source(rel)));
                return Type::Unknown;
            }
            auto copy = std::make_unique<Expr>();
            copy->kind = ExprKind::Name;
            copy->text = ctx.subject->text;
            copy->span = ctx.subject->span;
            copy->id = m_.node_count++;
            m_.nodes.push_back(copy.get());
            rel.kids[0] = std::move(copy);
        }
        Type t = expr(*rel.kids[0], ctx);
        if (rel.kids[0]->kind == ExprKind::Name) ctx.subject = rel.kids[0].get();
        rel.r.subject_concept = rel.kids[0]->r.subject_concept;
        return t;
    }

    Type compare(Expr& e, Ctx& ctx) {
        set(e, Type::Truth);
        Type st = subject(e, ctx);
        Expr& operand = *e.kids[1];
        Type ot = expr(operand, ctx);
        if (st == Type::Unknown || ot == Type::Unknown) return Type::Truth;
        const Expr& subj = *e.kids[0];
        if (st == Type::Date && ot == Type::Date) return Type::Truth;
        if (st != Type::Quantity) {
            d_.error(DiagCode::TypeMismatch, subj.span,
                     fmt::format("`{}` is {} and cannot be compared with `{}`{}", expr_source(subj), type_name(st),
                                 cmp_name(e.op),
                                 st == Type::Coded ? "; for coded values write `is <value>`" : ""));
            return Type::Truth;
        }
        if (operand.kind != ExprKind::Quantity) {
            d_.error(DiagCode::TypeMismatch, operand.span,
                     fmt::format("`{}` is compared with `{}`; compare a quantity with a number and unit such as `4 x10^9/L`",
                                 expr_source(subj), expr_source(operand)));
            return Type::Truth;
        }
        pick_measure(e, operand);
        if (units_match(subj, operand, "compared with")) plausible(subj, operand);
        return Type::Truth;
    }

    // The units of the concept's dimension in which `number` would be a plausible value of
    // it: its canonical unit, then the units its data arrive in, then every other.
    std::vector<std::string> plausible_units(const Concept& k, double number, const std::string& besides) const {
        std::vector<std::string> out;
        auto consider = [&](const Unit& u) {
            if (u.ucum == besides || std::find(out.begin(), out.end(), u.ucum) != out.end()) return;
            if (!k.plausible || k.plausible->contains(to_canonical(number, u))) out.push_back(u.ucum);
        };
        consider(k.unit);
        for (const auto& spelling : k.units)
            if (auto u = find_unit(spelling); u && u->dim == k.unit.dim) consider(*u);
        for (const Unit& u : units_of(k.unit.dim)) consider(u);
        return out;
    }

    // A threshold outside the concept's plausible range is a unit slip far more often than a
    // rule: `hemoglobin >= 11 g/L` means g/dL, `platelets >= 100 /uL` means 10*9/L.
    void plausible(const Expr& subj, const Expr& lit) {
        if (subj.r.subject_concept < 0) return;
        const Concept& k = b_.concepts[subj.r.subject_concept];
        if (!k.plausible || k.plausible->contains(lit.r.canonical)) return;
        auto unit = find_unit(k.unit.ucum);
        double lo = unit ? from_canonical(k.plausible->lo, *unit) : k.plausible->lo;
        double hi = unit ? from_canonical(k.plausible->hi, *unit) : k.plausible->hi;
        auto& diag = d_.error(DiagCode::Implausible, lit.span,
                              fmt::format("`{}` is {} any plausible {} ({} to {} {})", expr_source(lit),
                                          lit.r.canonical < k.plausible->lo ? "below" : "above", k.name, lo, hi, k.unit.ucum));
        std::string written = find_unit(lit.text) ? find_unit(lit.text)->ucum : lit.text;
        auto units = plausible_units(k, lit.number, written);
        if (!units.empty()) diag.suggestion = fmt::format("{} {}", lit_number(lit), units.front());
        diag.notes.push_back(fmt::format("the bindings declare `plausible: [{}, {}]` for `{}` ({}); a threshold outside it "
                                         "is almost always a unit slip",
                                         lo, hi, k.name, k.display));
    }

    // The number as written in the rule (`11`, `0.5`, `1e-4`).
    static std::string lit_number(const Expr& lit) {
        std::string src = expr_source(lit);
        auto sp = src.find_first_of(" \t");
        return sp == std::string::npos ? fmt::format("{}", lit.number) : src.substr(0, sp);
    }

    // A concept with other measures (`measure_of` in the bindings): the unit compared with
    // it picks the measure of its dimension. The subject then reads that measure (the
    // compiler loads it); its `text` keeps the name written, for messages and explanations.
    void pick_measure(Expr& rel, const Expr& lit) {
        Expr& subj = *rel.kids[0];
        if (subj.kind != ExprKind::Name || subj.r.ref != Expr::Resolved::Ref::Concept || subj.r.subject_concept < 0)
            return;
        if (lit.r.dim == subj.r.dim || lit.r.dim == Dimension::None) return;  // fits, or missing-unit
        auto m = b_.measure_with(static_cast<ConceptId>(subj.r.subject_concept), lit.r.dim);
        if (!m || *m == subj.r.subject_concept) return;  // fits none: unit-dimension
        subj.r.index = *m;
        subj.r.subject_concept = *m;
        subj.r.dim = b_.concepts[*m].unit.dim;
        subj.r.measure = b_.concepts[*m].name;
        rel.r.subject_concept = *m;
    }

    // What a concept may be compared with: "a cell count (per volume)", or with other
    // measures "a cell count (per volume) or a percentage".
    std::string dimensions_of(const Expr& subj) const {
        std::string s = dimension_name(subj.r.dim);
        if (subj.r.subject_concept < 0) return s;
        for (ConceptId m : b_.concepts[subj.r.subject_concept].measures)
            s += fmt::format(" or {}", dimension_name(b_.concepts[m].unit.dim));
        return s;
    }

    // Whether the literal's unit fits the subject; says what is wrong when not.
    bool units_match(const Expr& subj, const Expr& lit, const char* verb) {
        Dimension want = subj.r.dim;
        if (lit.r.dim == want) return true;
        if (lit.r.dim == Dimension::None) {
            auto& diag = d_.error(DiagCode::MissingUnit, lit.span,
                                  fmt::format("`{}` has no unit, but `{}` is {}", expr_source(lit), expr_source(subj),
                                              dimensions_of(subj)));
            // The unit that makes the number a plausible value of the concept (1000 for
            // neutrophils is 1000 /uL, not 1000 10*9/L); a change amount takes the canonical one.
            std::string unit = canonical_unit(want);
            if (std::string_view(verb) == "compared with" && subj.r.subject_concept >= 0) {
                auto units = plausible_units(b_.concepts[subj.r.subject_concept], lit.number, "");
                if (!units.empty()) unit = units.front();
            }
            diag.notes.push_back(fmt::format("write the unit, e.g. `{} {}`", expr_source(lit), unit));
            return false;
        }
        auto& diag = d_.error(DiagCode::UnitMismatch, lit.span,
                              fmt::format("`{}` is {}, but it is {} `{}`, which is {}", expr_source(lit),
                                          dimension_name(lit.r.dim), verb, expr_source(subj), dimensions_of(subj)));
        if (subj.r.subject_concept >= 0) {
            const Concept& k = b_.concepts[subj.r.subject_concept];
            diag.notes.push_back(fmt::format("`{}` ({}) is measured in {}", k.name, k.display, k.unit.ucum));
            // Its other measures, each picked by a unit of its dimension.
            for (ConceptId mi : k.measures) {
                const Concept& m = b_.concepts[mi];
                diag.notes.push_back(fmt::format("compared with {} (in {}), `{}` reads its measure `{}` ({})",
                                                 dimension_name(m.unit.dim), m.unit.ucum, k.name, m.name, m.display));
            }
            // A measure named directly, with a unit its concept takes: name the concept.
            if (k.measure_of && b_.measure_with(*k.measure_of, lit.r.dim)) {
                diag.suggestion = b_.concepts[*k.measure_of].name;
                return false;
            }
            // Point to a concept of the literal's dimension with a similar name, if any.
            std::vector<std::string> same_dim;
            for (const auto& c : b_.concepts)
                if (c.kind == ValueKind::Quantity && c.unit.dim == lit.r.dim) same_dim.push_back(c.name);
            for (const auto& n : same_dim)
                if (n.find(k.name) != std::string::npos) {
                    diag.suggestion = n;
                    break;
                }
        }
        return false;
    }

    Type change(Expr& e, Ctx& ctx) {
        set(e, Type::Truth);
        if (ctx.baseline_mode)
            d_.error(DiagCode::TypeMismatch, e.span, "a normal range is judged at baseline and cannot use a change from baseline");
        Type st = subject(e, ctx);
        Expr& amount = *e.kids[1];
        Type at = expr(amount, ctx);
        if (st == Type::Unknown || at == Type::Unknown) return Type::Truth;
        const Expr& subj = *e.kids[0];
        if (st != Type::Quantity || subj.r.subject_concept < 0) {
            d_.error(DiagCode::TypeMismatch, subj.span,
                     fmt::format("a change is measured on a quantity concept; `{}` is {}", expr_source(subj), type_name(st)));
            return Type::Truth;
        }
        if (amount.kind != ExprKind::Quantity) {
            d_.error(DiagCode::TypeMismatch, amount.span, "the amount of a change is a number with a unit, e.g. `50%`");
            return Type::Truth;
        }
        if (e.by_amount) {
            pick_measure(e, amount);  // a relative change (a percentage) stays with the concept written
            units_match(subj, amount, "an amount of change of");
        } else if (amount.r.dim != Dimension::Fraction) {
            auto& diag = d_.error(DiagCode::UnitMismatch, amount.span,
                                  fmt::format("a relative change is a percentage of the reference, but `{}` is {}",
                                              expr_source(amount), dimension_name(amount.r.dim)));
            diag.notes.push_back(fmt::format("for an absolute change write `{} by {} {} ...`",
                                             e.increase ? "increased" : "decreased", cmp_name(e.op), expr_source(amount)));
        }
        if (e.ref == RefPoint::Baseline && !m_.baseline) {
            auto& diag = d_.error(DiagCode::NoBaseline, e.span, "`from baseline` needs the file to define the baseline");
            diag.notes.push_back("add e.g. `baseline = last value within 90d before therapy.start`");
        }
        return Type::Truth;
    }

    Type is_value(Expr& e, Ctx& ctx) {
        set(e, Type::Truth);
        Type st = subject(e, ctx);
        if (st == Type::Unknown) return Type::Truth;
        const Expr& subj = *e.kids[0];
        if (st != Type::Coded || subj.r.subject_concept < 0) {
            d_.error(DiagCode::TypeMismatch, subj.span,
                     fmt::format("`is` tests a coded concept such as `marrow_cellularity`; `{}` is {}", expr_source(subj),
                                 type_name(st)));
            return Type::Truth;
        }
        const Concept& k = b_.concepts[subj.r.subject_concept];
        for (std::size_t i = 0; i < k.values.size(); ++i)
            if (k.values[i] == e.text) e.r.code = static_cast<int>(i);
        if (e.r.code < 0) {
            auto& diag = d_.error(DiagCode::UnknownCode, e.span,
                                  fmt::format("`{}` is not a value of `{}`", e.text, k.name));
            diag.suggestion = closest_name(e.text, k.values);
            std::string list;
            for (const auto& v : k.values) list += (list.empty() ? "" : ", ") + v;
            diag.notes.push_back(fmt::format("`{}` takes one of: {}", k.name, list));
        }
        return Type::Truth;
    }

    void duration_sane(const Expr& e, bool allow_negative) {
        std::int64_t span = max_days(Duration{std::abs(e.dur.months), std::abs(e.dur.days)});
        bool negative = e.dur.months < 0 || e.dur.days < 0;
        if ((!allow_negative && (negative || span == 0)) || span > kMaxDurationDays)
            d_.error(DiagCode::BadDuration, e.span,
                     fmt::format("the duration {} is {}", format_duration(e.dur),
                                 span > kMaxDurationDays ? "longer than 100 years" : "not a positive length of time"));
    }


    Type group(Expr& e, Ctx& ctx) {
        set(e, Type::Truth);
        for (auto& k : e.kids) {
            Ctx inner = ctx;
            inner.subject = nullptr;
            expect(*k, expr(*k, inner), Type::Truth, "a clause of the block");
        }
        int n = static_cast<int>(e.kids.size());
        if (e.combinator == Combinator::AtLeast && (e.count < 1 || e.count > n))
            d_.error(DiagCode::BadCount, e.span,
                     fmt::format("`at least {} of` has {} clause{}", e.count, n, n == 1 ? "" : "s"));
        if (e.among_abnormal) {
            if (e.combinator != Combinator::AtLeast)
                d_.error(DiagCode::BadCount, e.span, "`among abnormal at baseline` applies to `at least N of`");
            for (auto& k : e.kids) {
                int c = subject_concept_of(*k);
                if (c < 0) {
                    d_.error(DiagCode::NoNormalRange, k->span,
                             "this clause names no concept, so crit cannot tell whether it was abnormal at baseline");
                } else if (!out_.normal_of_concept.count(c)) {
                    auto& diag = d_.error(DiagCode::NoNormalRange, k->span,
                                          fmt::format("`{}` has no normal range, so crit cannot tell whether it was abnormal at baseline",
                                                      b_.concepts[c].name));
                    const Concept& k = b_.concepts[c];
                    diag.notes.push_back(k.kind == ValueKind::Quantity
                                             ? fmt::format("add e.g. `normal {} < ...` (with its citation)", k.name)
                                             : fmt::format("add e.g. `normal {}: not {}` (with its citation)", k.name, k.name));
                }
            }
            if (!m_.baseline)
                d_.error(DiagCode::NoBaseline, e.span, "`among abnormal at baseline` needs the file to define the baseline");
        }
        return Type::Truth;
    }

    // `A and B for 4wk` qualifies B only; readers often take it for the whole clause.
    void qualifier_scope(const Expr& e) {
        const Expr& last = *e.kids.back();
        if (last.kind != ExprKind::Temporal || last.span.file == nullptr) return;
        std::string_view text = last.span.file->text();
        std::size_t i = last.span.begin;
        while (i > 0 && text[i - 1] == ' ') --i;
        if (i > 0 && text[i - 1] == '(') return;  // already explicit: `A and (B for 4wk)`
        std::string q = expr_source(last);
        std::string operand = expr_source(*last.kids[0]);
        auto& diag = d_.warning(DiagCode::QualifierScope, last.span,
                                fmt::format("`{}` applies only to `{}`, not to the whole `{}`",
                                            q.substr(operand.size() + 1), operand, e.kind == ExprKind::And ? "and" : "or"));
        diag.notes.push_back(fmt::format("write `({}) {}` to qualify the whole clause, or `... {} ({})` to keep this meaning without the warning",
                                         expr_source(e).substr(0, expr_source(e).size() - q.size() + operand.size()),
                                         q.substr(operand.size() + 1), e.kind == ExprKind::And ? "and" : "or", q));
    }

    // `(A from assess) for 2mo` with `assess = therapy.end + 2mo`: the confirmation window must lie
    // wholly after a date that is itself a delay, so nothing is declared before 4 months. Almost
    // always meant: `(A for 2mo) from assess`, or the delay alone (criteria-reference 6.2).
    const Expr* delay_in(const Expr& d, int depth = 0) const {
        if (depth > 16) return nullptr;
        if (d.kind == ExprKind::DateOffset && d.dur.months >= 0 && d.dur.days >= 0 && (d.dur.months || d.dur.days))
            return &d;
        if (d.kind == ExprKind::Name && d.r.ref == Expr::Resolved::Ref::Definition && d.r.index >= 0)
            return delay_in(*m_.definitions[d.r.index].value, depth + 1);
        if (d.kind == ExprKind::Or)
            for (const auto& k : d.kids)
                if (const Expr* x = delay_in(*k, depth + 1)) return x;
        return nullptr;
    }
    void stacked_delay(const Expr& f) {
        const Expr* w = f.kids[0].get();
        while (w && w->kind == ExprKind::Temporal && w->temporal == TemporalKind::MeasuredFrom) w = w->kids[0].get();
        if (!w || w->kind != ExprKind::Temporal ||
            (w->temporal != TemporalKind::From && w->temporal != TemporalKind::After))
            return;
        const Expr* delay = delay_in(*w->kids[1]);
        if (!delay) return;
        auto& diag = d_.warning(DiagCode::StackedDelay, f.span,
                                fmt::format("`for {}` must hold wholly after `{}`, which is already `{}`: nothing can be "
                                            "declared before both delays have passed",
                                            format_duration(f.dur), expr_source(*w->kids[1]), expr_source(*delay)));
        diag.notes.push_back(
            "a response assessed after a delay is usually declared at that assessment (docs/semantics.md, decision 2): "
            "drop `for`, or write the qualifiers in the other order (`for D, from X`) to let the window start before X");
    }

    Type expr(Expr& e, Ctx& ctx) {
        auto truth_kid = [&](std::size_t i, const char* what) {
            Type t = expr(*e.kids[i], ctx);
            expect(*e.kids[i], t, Type::Truth, what);
        };
        switch (e.kind) {
            case ExprKind::Name: return name(e);
            case ExprKind::Quantity: return quantity(e);
            case ExprKind::DateLit: return set(e, Type::Date);
            case ExprKind::Compare: return compare(e, ctx);
            case ExprKind::Change: return change(e, ctx);
            case ExprKind::IsValue: return is_value(e, ctx);
            case ExprKind::Not: truth_kid(0, "the operand of `not`"); return set(e, Type::Truth);
            case ExprKind::Ever:
            case ExprKind::Never:
                if (ctx.baseline_mode) d_.error(DiagCode::TypeMismatch, e.span, "a normal range is judged at baseline; `ever` and `never` do not apply");
                truth_kid(0, e.kind == ExprKind::Ever ? "the operand of `ever`" : "the operand of `never`");
                return set(e, Type::Truth);
            case ExprKind::NeverShown: {
                if (ctx.baseline_mode)
                    d_.error(DiagCode::TypeMismatch, e.span, "a normal range is judged at baseline; `never shown` does not apply");
                truth_kid(0, "the operand of `never shown`");
                Type a = expr(*e.kids[1], ctx);
                expect(*e.kids[1], a, Type::Date, "the anchor after `since`");
                return set(e, Type::Truth);
            }
            case ExprKind::Known:
            case ExprKind::IsUnknown: {
                Type t = expr(*e.kids[0], ctx);
                if (t != Type::Truth && t != Type::Quantity && t != Type::Unknown)
                    d_.error(DiagCode::TypeMismatch, e.span,
                             fmt::format("`{}` takes a clause or a quantity concept; `{}` is {}",
                                         e.kind == ExprKind::Known ? "known" : "unknown", expr_source(*e.kids[0]), type_name(t)));
                return set(e, Type::Truth);
            }
            case ExprKind::And:
            case ExprKind::Or: {
                Type first = expr(*e.kids[0], ctx);
                if (e.kind == ExprKind::Or && first == Type::Date) {
                    // `therapy.end + 2mo or therapy.start + 2mo`: the first date that has happened.
                    for (std::size_t i = 1; i < e.kids.size(); ++i) {
                        Ctx dctx;
                        expect(*e.kids[i], expr(*e.kids[i], dctx), Type::Date, "an alternative date after `or`");
                    }
                    return set(e, Type::Date);
                }
                expect(*e.kids[0], first, Type::Truth, e.kind == ExprKind::And ? "an operand of `and`" : "an operand of `or`");
                for (std::size_t i = 1; i < e.kids.size(); ++i)
                    truth_kid(i, e.kind == ExprKind::And ? "an operand of `and`" : "an operand of `or`");
                qualifier_scope(e);
                return set(e, Type::Truth);
            }
            case ExprKind::Unless:
                truth_kid(0, "the clause before `unless`");
                truth_kid(1, "the exception after `unless`");
                return set(e, Type::Truth);
            case ExprKind::Temporal: {
                if (ctx.baseline_mode)
                    d_.error(DiagCode::TypeMismatch, e.span, "a normal range is judged at baseline; remove the time qualifier");
                truth_kid(0, fmt::format("the clause qualified by `{}`", temporal_name(e.temporal)).c_str());
                if (e.temporal == TemporalKind::For || e.temporal == TemporalKind::Within ||
                    e.temporal == TemporalKind::AtLeastAfter)
                    duration_sane(e, e.temporal == TemporalKind::AtLeastAfter);
                if (e.kids.size() > 1) {
                    Ctx dctx;
                    Type t = expr(*e.kids[1], dctx);
                    expect(*e.kids[1], t, Type::Date, fmt::format("the anchor of `{}`", temporal_name(e.temporal)));
                }
                if (e.temporal == TemporalKind::For) stacked_delay(e);
                return set(e, Type::Truth);
            }
            case ExprKind::Group: return group(e, ctx);
            case ExprKind::First:
            case ExprKind::Last: {
                Ctx inner;
                Type t = expr(*e.kids[0], inner);
                if (t == Type::Episode) return set(e, Type::Episode);
                if (t == Type::Truth) return set(e, Type::Date);
                if (t != Type::Unknown)
                    d_.error(DiagCode::TypeMismatch, e.span,
                             fmt::format("`{}` takes a clause (the date it first held) or a treatment; `{}` is {}",
                                         e.kind == ExprKind::First ? "first" : "last", expr_source(*e.kids[0]), type_name(t)));
                return set(e, Type::Unknown);
            }
            case ExprKind::Field: {
                Type t = expr(*e.kids[0], ctx);
                if (t != Type::Episode && t != Type::Unknown)
                    d_.error(DiagCode::TypeMismatch, e.span,
                             fmt::format("`.{}` applies to a treatment episode; `{}` is {}", e.text,
                                         expr_source(*e.kids[0]), type_name(t)));
                return set(e, Type::Date);
            }
            case ExprKind::DateOffset: {
                Type t = expr(*e.kids[0], ctx);
                expect(*e.kids[0], t, Type::Date, "the left side of a date offset");
                duration_sane(e, true);
                return set(e, Type::Date);
            }
            case ExprKind::OnClass:
            case ExprKind::TreatmentOf: {
                if (auto c = b_.class_by_name(e.text)) e.r.class_id = *c;
                else {
                    auto& diag = d_.error(DiagCode::UnknownClass, e.span,
                                          fmt::format("unknown drug class `{}`", e.text));
                    diag.suggestion = closest_name(e.text, b_.class_names());
                }
                return set(e, e.kind == ExprKind::OnClass ? Type::Truth : Type::Episode);
            }
        }
        return Type::Unknown;
    }

    Module& m_;
    const Bindings& b_;
    CheckedModule& out_;
    Diagnostics& d_;
    std::map<std::string, int> defs_, crits_;
    std::vector<int> def_state_, crit_state_;
    // The longest chain of definitions and criteria each item is reached through (itself
    // included): the compiler recurses that deep, so it is bounded.
    std::vector<int> def_chain_, crit_chain_;
    int* chain_acc_ = nullptr;  // the chain of the item being checked, raised by each name it uses
    std::vector<Type> def_type_;
};

}  // namespace

bool check(Module& m, const Bindings& b, CheckedModule& out, Diagnostics& diags) {
    std::size_t before = diags.error_count();
    Checker(m, b, out, diags).run();
    // The module-wide warnings read resolved names and units, so only a clean module is linted.
    if (diags.error_count() != before) return false;
    lint(m, b, diags);
    return true;
}

}  // namespace crit
