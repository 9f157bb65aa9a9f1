#include "lang/compile.hpp"

#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "lang/ast_print.hpp"
#include "core/sha256.hpp"

namespace crit {

namespace {

class Compiler {
public:
    Compiler(std::shared_ptr<Module> m, const CheckedModule& cm, std::shared_ptr<const Bindings> b, Program& p)
        : m_(*m), cm_(cm), b_(*b), p_(p) {
        p_.module = std::move(m);
        p_.bindings = std::move(b);
        def_slot_.assign(m_.definitions.size(), -1);
        crit_slot_.assign(m_.criteria.size(), -1);
        normal_slot_.assign(m_.normals.size(), -1);
        p_.normal_item_of_concept.assign(b_.concepts.size(), -1);
    }

    void run() {
        header();
        for (std::size_t i = 0; i < m_.criteria.size(); ++i) crit_slot(static_cast<int>(i));
        for (std::size_t i = 0; i < m_.definitions.size(); ++i)
            if (cm_.alias_concept[i] < 0) def_slot(static_cast<int>(i));
        for (std::size_t i = 0; i < m_.normals.size(); ++i) normal_slot(static_cast<int>(i));
        for (std::size_t i = 0; i < m_.results.size(); ++i) result(static_cast<int>(i));
        p_.criterion_item = crit_slot_;
    }

private:
    // Code of the item being compiled; items nest while dependencies are compiled.
    struct Buffer {
        std::vector<Instr> code;
        std::vector<NodeId> nodes;
    };

    void header() {
        if (m_.header) {
            p_.name = m_.header->name;
            p_.version = m_.header->version;
            p_.source = m_.header->source;
            if (auto dx = b_.diagnosis_by_text(m_.header->disease)) p_.disease = b_.diagnoses[*dx].name;
            if (m_.header->hold) p_.hold = *m_.header->hold;
        } else {
            p_.name = std::filesystem::path(m_.source->name()).stem().string();
        }
        p_.sha256 = sha256_hex(m_.source->text());
        for (std::size_t c = 0; c < b_.classes.size(); ++c)
            if (b_.classes[c].cuts_results) p_.cut_classes.push_back(static_cast<ClassId>(c));
        if (m_.baseline) p_.baseline_window = m_.baseline->window;
    }

    // Compiles `body` as a new item and returns its slot; `ever` wraps it in EVER
    // (`first of` results ask whether a criterion has ever held).
    int item(Item::Kind kind, const std::string& name, const Expr& body, Type type, bool baseline_mode = false,
             bool ever = false) {
        buffers_.emplace_back();
        bool saved = baseline_mode_;
        baseline_mode_ = baseline_mode;
        expr(body);
        if (ever) emit(Op::EVER, body);
        emit(Op::RETURN, body);
        baseline_mode_ = saved;
        Buffer buf = std::move(buffers_.back());
        buffers_.pop_back();
        Item it;
        it.kind = kind;
        it.name = name;
        it.type = type;
        it.node = body.id;
        it.begin = static_cast<std::uint32_t>(p_.code.size());
        p_.code.insert(p_.code.end(), buf.code.begin(), buf.code.end());
        p_.nodes.insert(p_.nodes.end(), buf.nodes.begin(), buf.nodes.end());
        it.end = static_cast<std::uint32_t>(p_.code.size());
        p_.items.push_back(std::move(it));
        return static_cast<int>(p_.items.size() - 1);
    }

    int crit_slot(int i) {
        if (crit_slot_[i] < 0) {
            crit_slot_[i] = item(Item::Kind::Criterion, m_.criteria[i].name, *m_.criteria[i].body, Type::Truth);
            p_.items[crit_slot_[i]].source_index = i;
        }
        return crit_slot_[i];
    }

    int def_slot(int i) {
        if (def_slot_[i] < 0) {
            const auto& d = m_.definitions[i];
            def_slot_[i] = item(Item::Kind::Definition, d.name, *d.value, d.value->r.type);
            p_.items[def_slot_[i]].source_index = i;
        }
        return def_slot_[i];
    }

    int normal_slot(int i) {
        if (normal_slot_[i] < 0) {
            baseline_slot();
            const auto& n = m_.normals[i];
            // The concept the checker keyed the range by: the one named, or the measure its unit
            // picked (`normal lymphocytes < 30%`: lymphocytes_percent).
            int keyed = -1;
            for (const auto& [c, index] : cm_.normal_of_concept)
                if (index == i) keyed = c;
            std::string name = "normal " + n.concept_name;
            if (keyed >= 0 && b_.concepts[keyed].name != n.concept_name) name += "[" + b_.concepts[keyed].name + "]";
            normal_slot_[i] = item(Item::Kind::Normal, name, *n.expr, Type::Truth, true);
            p_.items[normal_slot_[i]].source_index = i;
            if (keyed >= 0) p_.normal_item_of_concept[static_cast<std::size_t>(keyed)] = normal_slot_[i];
        }
        return normal_slot_[i];
    }

    int baseline_slot() {
        if (p_.baseline_item < 0 && m_.baseline) {
            p_.baseline_item = item(Item::Kind::Baseline, "baseline", *m_.baseline->anchor, Type::Date);
        }
        return p_.baseline_item;
    }

    void result(int i) {
        const auto& r = m_.results[i];
        ResultInfo info;
        info.name = r.name;
        info.kind = r.kind;
        info.else_label = r.else_label;
        info.def_index = i;
        if (r.kind == ResultDef::Kind::Value) {
            info.value_item = item(Item::Kind::ResultValue, r.name, *r.value, r.value->r.type);
        } else {
            for (std::size_t c = 0; c < r.choices.size(); ++c) {
                const auto& ch = r.choices[c];
                ResultInfo::Choice choice;
                choice.label = ch.label;
                // `first of` picks the first criterion that has ever held.
                bool ever = r.kind == ResultDef::Kind::FirstOf;
                if (ever && ch.cond->r.ref == Expr::Resolved::Ref::Criterion) choice.criterion = ch.cond->r.index;
                std::string nm = fmt::format("{}={}", r.name, ch.label);
                choice.item = item(Item::Kind::ResultCond, nm, *ch.cond, Type::Truth, false, ever);
                p_.items[choice.item].result = i;
                p_.items[choice.item].choice = static_cast<int>(c);
                info.choices.push_back(std::move(choice));
            }
            if (r.until) {
                info.until_item = crit_slot(r.until->r.index);
                info.until_criterion = r.until->r.index;
            }
        }
        p_.results.push_back(std::move(info));
    }

    void emit(Op op, const Expr& at, std::uint8_t x = 0, std::uint16_t a = 0, std::uint32_t b = 0) {
        buffers_.back().code.push_back(Instr{op, x, a, b});
        buffers_.back().nodes.push_back(at.id);
    }

    std::uint32_t constant(Constant c) {
        for (std::size_t i = 0; i < p_.consts.size(); ++i) {
            const auto& k = p_.consts[i];
            if (k.kind == c.kind && k.number == c.number && k.duration == c.duration && k.day == c.day &&
                k.display == c.display)
                return static_cast<std::uint32_t>(i);
        }
        p_.consts.push_back(std::move(c));
        return static_cast<std::uint32_t>(p_.consts.size() - 1);
    }

    std::uint32_t number(double v, const std::string& display) {
        return constant(Constant{Constant::Kind::Number, v, {}, 0, display});
    }
    std::uint32_t duration(Duration d) {
        return constant(Constant{Constant::Kind::Duration, 0, d, 0, format_duration(d)});
    }

    void expr(const Expr& e) {
        switch (e.kind) {
            case ExprKind::Name: return name(e);
            case ExprKind::Quantity: return;  // operands are folded into CMP/CHANGE
            case ExprKind::DateLit:
                emit(Op::DATE, e, 0, 0, constant(Constant{Constant::Kind::Date, 0, {}, e.day, format_day(e.day)}));
                return;
            case ExprKind::Compare: {
                const Expr& subj = *e.kids[0];
                if (subj.r.type == Type::Date) {
                    expr(subj);
                    expr(*e.kids[1]);
                    emit(Op::CMP_DATE, e, static_cast<std::uint8_t>(e.op));
                    return;
                }
                expr(subj);
                const Expr& lit = *e.kids[1];
                emit(Op::CMP, e, static_cast<std::uint8_t>(e.op), 0, number(lit.r.canonical, expr_source(lit)));
                return;
            }
            case ExprKind::Change: {
                if (e.ref == RefPoint::Baseline || m_.baseline) baseline_slot();
                const Expr& subj = *e.kids[0];
                expr(subj);
                const Expr& amount = *e.kids[1];
                std::uint8_t flags = (e.increase ? kIncrease : 0) | (e.by_amount ? kByAmount : 0) |
                                     (e.ref == RefPoint::Nadir ? kNadir : 0);
                double k = e.by_amount ? amount.r.canonical : amount.r.canonical / 100.0;
                emit(Op::CHANGE, e, change_x(e.op, flags), static_cast<std::uint16_t>(subj.r.subject_concept),
                     number(k, expr_source(amount)));
                return;
            }
            case ExprKind::IsValue:
                emit(Op::IS_CODE, e, e.negated ? 1 : 0, static_cast<std::uint16_t>(e.kids[0]->r.subject_concept),
                     static_cast<std::uint32_t>(e.r.code));
                return;
            case ExprKind::Not:
                expr(*e.kids[0]);
                emit(Op::NOT, e);
                return;
            case ExprKind::NeverShown:
                expr(*e.kids[0]);
                expr(*e.kids[1]);
                emit(Op::NEVER_SHOWN, e);
                return;
            case ExprKind::Ever:
            case ExprKind::Never:
                expr(*e.kids[0]);
                emit(e.kind == ExprKind::Ever ? Op::EVER : Op::NEVER, e);
                return;
            case ExprKind::Known:
            case ExprKind::IsUnknown:
                expr(*e.kids[0]);
                // A quantity is known where a result stands: compare it with "any value".
                if (e.kids[0]->r.type == Type::Quantity)
                    emit(Op::CMP, e, static_cast<std::uint8_t>(CmpOp::Ge), 0,
                         number(-std::numeric_limits<double>::infinity(), "any value"));
                emit(Op::KNOWN, e, e.kind == ExprKind::IsUnknown ? 1 : 0);
                return;
            case ExprKind::And:
            case ExprKind::Or:
                if (e.r.type == Type::Date) {
                    expr(*e.kids[0]);
                    for (std::size_t i = 1; i < e.kids.size(); ++i) {
                        expr(*e.kids[i]);
                        emit(Op::DATE_ELSE, e);
                    }
                    return;
                }
                for (const auto& k : e.kids) expr(*k);
                emit(e.kind == ExprKind::And ? Op::AND : Op::OR, e, 0, static_cast<std::uint16_t>(e.kids.size()));
                return;
            case ExprKind::Unless:
                expr(*e.kids[0]);
                expr(*e.kids[1]);
                emit(Op::NOT, e);
                emit(Op::AND, e, 0, 2);
                return;
            case ExprKind::Temporal: return temporal(e);
            case ExprKind::Group: return group(e);
            case ExprKind::First:
            case ExprKind::Last: {
                bool episodes = e.r.type == Type::Episode;
                expr(*e.kids[0]);
                emit(e.kind == ExprKind::First ? (episodes ? Op::FIRST_EP : Op::FIRST_DAY)
                                               : (episodes ? Op::LAST_EP : Op::LAST_DAY),
                     e);
                return;
            }
            case ExprKind::Field:
                expr(*e.kids[0]);
                emit(e.text == "start" ? Op::EP_START : Op::EP_END, e);
                return;
            case ExprKind::DateOffset:
                expr(*e.kids[0]);
                emit(Op::DATE_ADD, e, 0, 0, duration(e.dur));
                return;
            case ExprKind::OnClass: emit(Op::ON_CLASS, e, 0, static_cast<std::uint16_t>(e.r.class_id)); return;
            case ExprKind::TreatmentOf: emit(Op::TREATMENTS, e, 0, static_cast<std::uint16_t>(e.r.class_id)); return;
        }
    }

    void name(const Expr& e) {
        switch (e.r.ref) {
            case Expr::Resolved::Ref::Concept: {
                const Concept& c = b_.concepts[e.r.index];
                auto id = static_cast<std::uint16_t>(e.r.index);
                if (c.kind == ValueKind::Boolean) emit(Op::LOAD_BOOL, e, 0, id);
                else if (c.kind == ValueKind::Quantity) {
                    if (baseline_mode_) baseline_slot();
                    emit(baseline_mode_ ? Op::LOAD_BASE : Op::LOAD_Q, e, 0, id);
                }
                return;
            }
            case Expr::Resolved::Ref::Criterion:
                emit(Op::SLOT, e, 0, static_cast<std::uint16_t>(crit_slot(e.r.index)));
                return;
            case Expr::Resolved::Ref::Definition:
                emit(Op::SLOT, e, 0, static_cast<std::uint16_t>(def_slot(e.r.index)));
                return;
            case Expr::Resolved::Ref::Builtin: emit(Op::PATIENT_DATE, e, 0, static_cast<std::uint16_t>(e.r.index)); return;
            case Expr::Resolved::Ref::None: return;
        }
    }

    void temporal(const Expr& e) {
        if (e.temporal == TemporalKind::MeasuredFrom) {
            // The floor must be in place before the operand's loads run.
            expr(*e.kids[1]);
            emit(Op::MEASURED, e);
            expr(*e.kids[0]);
            emit(Op::END_MEASURED, e);
            return;
        }
        expr(*e.kids[0]);
        if (e.temporal == TemporalKind::For) {
            emit(Op::FOR, e, 0, 0, duration(e.dur));
            return;
        }
        expr(*e.kids[1]);
        WindowKind w = WindowKind::After;
        switch (e.temporal) {
            case TemporalKind::After: w = WindowKind::After; break;
            case TemporalKind::Before: w = WindowKind::Before; break;
            case TemporalKind::From: w = WindowKind::From; break;
            case TemporalKind::At: w = WindowKind::At; break;
            case TemporalKind::Within: w = WindowKind::Within; break;
            case TemporalKind::AtLeastAfter: w = WindowKind::AtLeastAfter; break;
            case TemporalKind::For:
            case TemporalKind::MeasuredFrom: break;
        }
        emit(Op::WINDOW, e, static_cast<std::uint8_t>(w), 0, duration(e.dur));
    }


    void group(const Expr& e) {
        for (const auto& k : e.kids) expr(*k);
        auto n = static_cast<std::uint16_t>(e.kids.size());
        switch (e.combinator) {
            case Combinator::All: emit(Op::AND, e, 0, n); return;
            case Combinator::Any: emit(Op::OR, e, 0, n); return;
            case Combinator::None:
                emit(Op::OR, e, 0, n);
                emit(Op::NOT, e);
                return;
            case Combinator::AtLeast:
                if (e.among_abnormal) {
                    for (const auto& k : e.kids) {
                        int c = subject_concept_of(*k);
                        auto it = cm_.normal_of_concept.find(c);
                        emit(Op::SLOT, e, 0, static_cast<std::uint16_t>(normal_slot(it->second)));
                        emit(Op::NOT, e);
                    }
                }
                emit(Op::AT_LEAST, e, e.among_abnormal ? 1 : 0, n, static_cast<std::uint32_t>(e.count));
                return;
        }
    }

    Module& m_;
    const CheckedModule& cm_;
    const Bindings& b_;
    Program& p_;
    std::vector<Buffer> buffers_;
    std::vector<int> def_slot_, crit_slot_, normal_slot_;
    bool baseline_mode_ = false;
};

}  // namespace

std::shared_ptr<const Program> compile(std::shared_ptr<Module> m, const CheckedModule& cm,
                                       std::shared_ptr<const Bindings> b, Diagnostics& diags) {
    auto p = std::make_shared<Program>();
    Compiler(std::move(m), cm, std::move(b), *p).run();
    if (!verify(*p, diags)) return nullptr;
    return p;
}

}  // namespace crit
