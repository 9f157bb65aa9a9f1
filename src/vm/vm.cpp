#include "vm/vm.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "vm/temporal.hpp"

namespace crit {

namespace {

struct Machine {
    const Program& p;
    const Timeline& t;
    Evaluation& ev;
    std::vector<Value>& stack;
    std::size_t& top;
    const Domain dom;
    EvalContext::Scratch& scratch;

    // Floors set by `measured from`: results dated before the latest floor are not loaded.
    std::vector<DateVal>& floors;

    std::pair<const Observation*, const Observation*> series_of(ConceptId c) const {
        auto [b, e] = t.series(c);
        for (const DateVal& f : floors) {
            if (f.state != DateVal::State::Known) return {e, e};  // unknown or never: no result qualifies
            while (b != e && b->day < f.day) ++b;
        }
        return {b, e};
    }

    Value& push(Type kind) {
        if (top == stack.size()) stack.emplace_back();
        Value& v = stack[top++];
        v.kind = kind;
        return v;
    }
    Value& peek(std::size_t from_top = 0) { return stack[top - 1 - from_top]; }
    void pop(std::size_t n = 1) { top -= n; }

    std::vector<Day>& cuts;  // start days of new courses of therapy (course_cuts), sorted

    Standing standing_of(ConceptId c) const {
        const Concept& k = p.bindings->concepts[c];
        if (k.persistent) return Standing{k.valid_for.value_or(p.hold), {}, k.when_present};
        return Standing{k.valid_for.value_or(p.hold), cuts, k.when_present};
    }
    // The records a boolean or coded series was built from: the same standing walk, keeping indices.
    void note_records(Evidence& n, const Observation* b, const Observation* e, Standing st) const {
        n.hold = st.hold;
        build_quantity(b, e, b ? static_cast<std::uint32_t>(b - t.observations.data()) : 0, st, dom, n.records);
    }
    std::uint32_t obs_base(ConceptId c) const {
        auto [b, e] = t.series(c);
        return b ? static_cast<std::uint32_t>(b - t.observations.data()) : 0;
    }

    std::optional<Day> baseline_day() const {
        if (p.baseline_item < 0) return std::nullopt;
        const DateVal& d = ev.slots[p.baseline_item].d;
        if (d.state != DateVal::State::Known) return std::nullopt;
        return d.day;
    }

    // The baseline result of a concept as an interval, if there is one.
    std::optional<Interval> baseline_value(ConceptId c, std::uint32_t* index = nullptr) const {
        auto day = baseline_day();
        if (!day) return std::nullopt;
        auto [b, e] = t.series(c);
        auto i = baseline_index(b, e, *day, p.baseline_window, dom.hi);
        if (!i) return std::nullopt;
        if (index) *index = obs_base(c) + *i;
        return interval_of(b[*i]);
    }

    // The evidence record of the instruction being run, or nullptr when not tracing.
    Evidence* note() {
        if (!ev_trace) return nullptr;
        Evidence& e = ev.evidence.emplace_back();
        e.pc = pc_;
        return &e;
    }
    std::uint32_t pc_ = 0;

    void run_item(const Item& it, Value& slot) {
        top = 0;
        for (std::uint32_t pc = it.begin; pc < it.end; ++pc) {
            const Instr& in = p.code[pc];
            pc_ = pc;
            step(in);
            if (in.op == Op::RETURN) {
                std::swap(slot, stack[top]);
            } else if (ev_trace && pushes_[static_cast<int>(in.op)]) {
                ev.trace.emplace_back(pc, peek());
            }
        }
    }

    bool ev_trace = false;

    // Whether an opcode leaves a value on the stack (MEASURED does not): from the table.
    static inline const std::vector<bool> pushes_ = [] {
        std::vector<bool> v;
        for (std::size_t i = 0; i < op_count(); ++i) v.push_back(op_info(static_cast<Op>(i)).push != StackOut::None);
        return v;
    }();

    void step(const Instr& in) {
        switch (in.op) {
            case Op::LOAD_Q: {
                auto [b, e] = series_of(in.a);
                Value& v = push(Type::Quantity);
                auto base = static_cast<std::uint32_t>(b - t.observations.data());
                build_quantity(b, e, base, standing_of(in.a), dom, v.q);
                if (Evidence* n = note()) n->hold = standing_of(in.a).hold;
                return;
            }
            case Op::LOAD_BASE: {
                Value& v = push(Type::Quantity);
                v.q.clear();
                std::uint32_t index = 0;
                auto base = baseline_value(in.a, &index);
                v.q.push_back(QSeg{dom.lo, base.has_value(), base.value_or(Interval{}), index});
                return;
            }
            case Op::LOAD_BOOL: {
                auto [b, e] = series_of(in.a);
                build_boolean(b, e, standing_of(in.a), dom, push(Type::Truth).t);
                if (Evidence* n = note()) note_records(*n, b, e, standing_of(in.a));
                return;
            }
            case Op::IS_CODE: {
                auto [b, e] = series_of(in.a);
                build_coded(b, e, standing_of(in.a), dom, static_cast<int>(in.b), in.x != 0, push(Type::Truth).t);
                if (Evidence* n = note()) {
                    Standing st = standing_of(in.a);
                    st.absent = false;  // build_coded reads no absence: a gap is unknown
                    note_records(*n, b, e, st);
                }
                return;
            }
            case Op::CMP: {
                Value& q = peek();
                TruthSeries& out = scratch.series;
                compare_series(q.q, static_cast<CmpOp>(in.x), p.consts[in.b].number, out);
                q.kind = Type::Truth;
                q.t.swap(out);
                return;
            }
            case Op::CHANGE: {
                Value& q = peek();
                auto [b, e] = t.series(in.a);
                ChangeSpec spec;
                spec.increase = in.x & kIncrease;
                spec.by_amount = in.x & kByAmount;
                spec.nadir = in.x & kNadir;
                spec.op = static_cast<CmpOp>(in.x >> 4);
                spec.k = p.consts[in.b].number;
                TruthSeries& out = scratch.series;
                std::uint32_t base_obs = 0;
                std::optional<Interval> base = baseline_value(in.a, &base_obs);
                Evidence* n = note();
                ChangeRefs refs{obs_base(in.a), base_obs, n ? &n->reference : nullptr};
                change_series(q.q, b, e, baseline_day(), base, spec, dom, out, refs);
                q.kind = Type::Truth;
                q.t.swap(out);
                return;
            }
            case Op::NOT: not_series(peek().t); return;
            case Op::AND:
            case Op::OR: {
                auto& in_series = scratch.inputs;
                in_series.clear();
                for (std::size_t i = in.a; i-- > 0;) in_series.push_back(&peek(i).t);
                TruthSeries& out = scratch.series;
                if (in.op == Op::AND) and_series(in_series, dom, out);
                else or_series(in_series, dom, out);
                pop(in.a);
                push(Type::Truth).t.swap(out);
                return;
            }
            case Op::AT_LEAST: {
                std::size_t n = in.a;
                std::size_t flags = in.x ? n : 0;
                auto& members = scratch.inputs;
                members.clear();
                for (std::size_t i = 0; i < n; ++i) members.push_back(&peek(n + flags - 1 - i).t);
                auto& abnormal = scratch.flags;
                abnormal.clear();
                auto day = baseline_day();
                for (std::size_t i = 0; i < flags; ++i)
                    abnormal.push_back(day ? sample(peek(flags - 1 - i).t, dom, std::clamp(*day, dom.lo, dom.hi))
                                           : Truth::Unknown);
                TruthSeries& out = scratch.series;
                at_least_series(members, abnormal, static_cast<int>(in.b), dom, out);
                if (Evidence* ev_note = in.x ? note() : nullptr) ev_note->counted = abnormal;
                pop(n + flags);
                push(Type::Truth).t.swap(out);
                return;
            }
            case Op::FOR: {
                TruthSeries& out = scratch.series;
                for_series(peek().t, p.consts[in.b].duration, dom, out);
                peek().t.swap(out);
                return;
            }
            case Op::WINDOW: {
                DateVal anchor = peek().d;
                pop();
                TruthSeries& out = scratch.series;
                WindowDays days = window_series(peek().t, static_cast<WindowKind>(in.x), anchor, p.consts[in.b].duration, dom, out);
                if (Evidence* n = note()) {
                    n->read_on = days.read_on;
                    n->from = days.from;
                    n->to = days.to;
                }
                peek().t.swap(out);
                return;
            }
            case Op::MEASURED:
                floors.push_back(peek().d);
                pop();
                return;
            case Op::END_MEASURED:
                floors.pop_back();
                return;
            case Op::KNOWN:
                for (auto& s : peek().t)
                    s.v = (s.v == Truth::Unknown) == (in.x != 0) ? Truth::Met : Truth::NotMet;
                normalize(peek().t);
                return;
            case Op::PATIENT_DATE: {
                const auto& d = in.a == static_cast<int>(PatientDate::Diagnosis) ? t.diagnosis_date : t.birth_date;
                push(Type::Date).d = d ? DateVal::known(*d) : DateVal::unknown();
                return;
            }
            case Op::DATE_ELSE: {
                DateVal b = peek().d;
                pop();
                if (peek().d.state == DateVal::State::Never) peek().d = b;
                return;
            }
            case Op::EVER:
            case Op::NEVER: {
                TruthSeries& out = scratch.series;
                ever_series(peek().t, dom, out);
                if (in.op == Op::NEVER) not_series(out);
                peek().t.swap(out);
                return;
            }
            case Op::NEVER_SHOWN: {
                DateVal anchor = peek().d;
                pop();
                TruthSeries& out = scratch.series;
                ShownDays days = never_shown_series(peek().t, anchor, dom, out);
                peek().t.swap(out);
                if (Evidence* n = note()) {
                    n->shown = days.shown;
                    n->not_shown = days.not_shown;
                }
                return;
            }
            case Op::ON_CLASS: on_class_series(t, in.a, dom, push(Type::Truth).t); return;
            case Op::TREATMENTS: {
                // As of the evaluation date: later courses have not started, and a course
                // ending after it is still running.
                auto& eps = push(Type::Episode).e;
                episodes_of(t, in.a, p.bindings->classes[in.a].episode_gap, dom.hi, eps);
                for (auto& e : eps)
                    if (e.end && *e.end > dom.hi) e.end.reset();
                return;
            }
            case Op::FIRST_EP:
                if (peek().e.size() > 1) peek().e.resize(1);
                return;
            case Op::LAST_EP:
                if (peek().e.size() > 1) peek().e.erase(peek().e.begin(), peek().e.end() - 1);
                return;
            case Op::FIRST_DAY:
            case Op::LAST_DAY: {
                DateVal d = in.op == Op::FIRST_DAY ? first_met(peek().t, dom) : last_met(peek().t, dom);
                pop();
                push(Type::Date).d = d;
                return;
            }
            case Op::EP_START:
            case Op::EP_END: {
                const auto& eps = peek().e;
                DateVal d = DateVal::never();  // no such treatment: the date has not come
                if (!eps.empty()) {
                    if (in.op == Op::EP_START) d = DateVal::known(eps.front().start);
                    else if (eps.back().end) d = DateVal::known(*eps.back().end);
                }
                pop();
                push(Type::Date).d = d;
                return;
            }
            case Op::DATE_ADD: {
                DateVal& d = peek().d;
                if (d.state == DateVal::State::Known) d.day = add(d.day, p.consts[in.b].duration);
                return;
            }
            case Op::DATE: push(Type::Date).d = DateVal::known(p.consts[in.b].day); return;
            case Op::CMP_DATE: {
                DateVal b = peek().d, a = peek(1).d;
                pop(2);
                constant_series(compare_dates(a, static_cast<CmpOp>(in.x), b), dom, push(Type::Truth).t);
                return;
            }
            case Op::SLOT: {
                const Value& s = ev.slots[in.a];
                Value& v = push(s.kind);
                v.t = s.t;
                v.q = s.q;
                v.d = s.d;
                v.e = s.e;
                return;
            }
            case Op::RETURN: pop(); return;
        }
    }
};

void decide_results(const Program& p, Evaluation& ev) {
    // Result objects are reused across patients: assigning keeps their strings' capacity.
    ev.results.resize(p.results.size());
    const Domain& dom = ev.domain;
    for (std::size_t ri = 0; ri < p.results.size(); ++ri) {
        const ResultInfo& r = p.results[ri];
        ResultValue& out = ev.results[ri];
        out.name = r.name;
        out.kind = ResultValue::Kind::Absent;
        out.label.clear();
        out.truth = false;
        out.day = 0;
        out.choice = -1;
        out.decided_on = 0;
        if (r.kind == ResultKind::Value) {
            const Value& v = ev.slots[r.value_item];
            if (v.kind == Type::Truth) {
                Truth tr = sample(v.t, dom, dom.hi);
                if (tr != Truth::Unknown) {
                    out.kind = ResultValue::Kind::Boolean;
                    out.truth = tr == Truth::Met;
                }
            } else if (v.kind == Type::Date && v.d.state == DateVal::State::Known) {
                out.kind = ResultValue::Kind::Date;
                out.day = v.d.day;
                out.decided_on = v.d.day;
            }
        } else {
            // `until X`: a category counts only if it held before the first day X did (X
            // itself counts), so the `ever` of each choice is read on the day before.
            Day decide_on = dom.hi;
            if (r.until_item >= 0) {
                DateVal cut = first_met(ev.slots[r.until_item].t, dom);
                if (cut.state == DateVal::State::Known) decide_on = cut.day - 1;
            }
            // The first choice whose condition holds on the as-of date wins.
            for (std::size_t c = 0; c < r.choices.size(); ++c) {
                const Value& v = ev.slots[r.choices[c].item];
                Day on = r.choices[c].criterion == r.until_criterion ? dom.hi : decide_on;
                if (on >= dom.lo && sample(v.t, dom, on) == Truth::Met) {
                    out.kind = ResultValue::Kind::Label;
                    out.label = r.choices[c].label;
                    out.choice = static_cast<int>(c);
                    DateVal first = first_met(v.t, dom);
                    out.decided_on = first.state == DateVal::State::Known ? first.day : dom.hi;
                    break;
                }
            }
            if (out.kind == ResultValue::Kind::Absent && r.else_label) {
                out.kind = ResultValue::Kind::Label;
                out.label = *r.else_label;
                out.decided_on = dom.hi;
            }
        }
    }
}

}  // namespace

Evaluation& evaluate(const Program& p, const Timeline& t, std::optional<Day> as_of, EvalContext& ctx) {
    Evaluation& ev = ctx.eval_;
    ev.patient_id = t.patient_id;
    ev.trace.clear();
    ev.evidence.clear();
    ev.dated = as_of.has_value() || t.last_day().has_value();
    Day hi = as_of ? *as_of : t.last_day().value_or(0);
    Day lo = std::min(t.first_day().value_or(hi), hi);
    ev.domain = Domain{lo, hi};
    if (ev.slots.size() != p.items.size()) ev.slots.resize(p.items.size());
    ctx.scratch_.cuts.clear();
    ctx.scratch_.floors.clear();
    Machine m{p, t, ev, ctx.stack_, ctx.top_, ev.domain, ctx.scratch_, ctx.scratch_.floors, ctx.scratch_.cuts, false};
    m.ev_trace = ctx.trace;
    // Results stop standing when a new course of therapy starts: a new episode of a class the
    // bindings mark `cuts_results` (shipped: antileukemic). Supportive drugs outside it
    // (dexamethasone as premedication) and the doses within a course do not count, and a phase
    // that continues the therapy under way (consolidation, maintenance) starts no new course.
    if (!p.cut_classes.empty())
        course_cuts(t, *p.bindings, p.cut_classes, ev.domain.hi, m.cuts);
    for (std::size_t i = 0; i < p.items.size(); ++i) m.run_item(p.items[i], ev.slots[i]);
    ev.baseline_day = m.baseline_day();
    decide_results(p, ev);
    return ev;
}

std::string result_text(const ResultValue& r, std::string_view absent) {
    switch (r.kind) {
        case ResultValue::Kind::Absent: return std::string(absent);
        case ResultValue::Kind::Label: return r.label;
        case ResultValue::Kind::Boolean: return r.truth ? "true" : "false";
        case ResultValue::Kind::Date: return format_day(r.day);
    }
    return std::string(absent);
}

}  // namespace crit
