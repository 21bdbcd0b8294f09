#include "detect/bulk.h"

#include <algorithm>
#include <numeric>
#include <span>
#include <string>

#include "common/huge_pages.h"
#include "detect/finding_id.h"
#include "detect/peak_windows.h"

namespace vd::detect {
namespace {

using events::IdentityEvent;

// Floor division: bins are aligned to the epoch for times before 1970 too.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t CountInSpan(std::span<const TimeMs> sorted_times, TimeMs lo, TimeMs hi) {
  return std::upper_bound(sorted_times.begin(), sorted_times.end(), hi) -
         std::lower_bound(sorted_times.begin(), sorted_times.end(), lo);
}

void SortUnique(std::vector<StrId>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// One successful admin reset as the incidents need it, copied out of the 72-byte events
// once: each initiator's resets then lie side by side instead of all over the events.
struct ResetRec {
  TimeMs time = 0;
  TimeMs arrival = 0;
  StrId target_key = kEmptyStr;
  StrId initiator_ip = kEmptyStr;
  uint32_t index = 0;  // in d.resets (starts_chain is indexed so)
  events::Source source = events::Source::kOther;
  events::Kind kind = events::Kind::kReset;
};

// Everything known about one initiator's resets: ranges of the arrays Initiators holds.
struct Initiator {
  StrId key = kEmptyStr;
  bool helpdesk_named = false;
  std::span<const ResetRec> resets;     // not allow-listed, in order
  std::span<const TimeMs> allowlisted;  // times, ascending
  std::span<const TimeMs> failed;       // times, ascending
};

// Tens of thousands of initiators: their lists share three arrays instead of owning three
// vectors each. Movable, not copyable: the spans point into the arrays.
struct Initiators {
  Initiators() = default;
  Initiators(Initiators&&) = default;
  Initiators(const Initiators&) = delete;
  Initiators& operator=(const Initiators&) = delete;

  std::vector<Initiator> list;  // in order of first appearance
  std::vector<ResetRec> resets;
  std::vector<TimeMs> allowlisted;
  std::vector<TimeMs> failed;
};

class IncidentBuilder {
 public:
  IncidentBuilder(const DedupedEvents& d, const PrintedNames& names, const StrOrder& order,
                  BulkIncidents* out, bool keep_members)
      : d_(d), names_(names), order_(order), out_(out), keep_members_(keep_members) {}

  // Keeps the incident `f` built from `members` (with its members when asked).
  void Keep(const Initiator& who, std::span<const uint32_t> members, BulkFinding f) {
    // Tens of MB of findings: each doubling goes into memory advised for huge pages.
    ReserveHuge(&out_->findings, out_->findings.size() + 1);
    out_->findings.push_back(std::move(f));
    if (!keep_members_) return;
    if (out_->begin.empty()) out_->begin.push_back(0);
    for (uint32_t k : members) out_->members.push_back(who.resets[k].index);
    out_->begin.push_back(static_cast<uint32_t>(out_->members.size()));
  }

  // `members`: positions in who.resets, ascending (so in time order).
  BulkFinding Build(const Initiator& who, std::span<const uint32_t> members) {
    BulkFinding f;
    f.newest_arrival = who.resets[members.front()].arrival;
    f.initiator = names_.Of(who.key);
    f.initiator_key = order_.Text(who.key);
    f.helpdesk_named = who.helpdesk_named;
    f.reset_count = static_cast<int64_t>(members.size());
    // Distinct ids are distinct texts (interned), so ids are deduplicated before any string
    // is made; the lists are then sorted by text.
    std::vector<StrId>& targets = targets_;
    std::vector<StrId>& ips = ips_;
    targets.clear();
    ips.clear();
    unsigned source_bits = 0, kind_bits = 0;
    for (uint32_t k : members) {
      const ResetRec& r = who.resets[k];
      f.newest_arrival = std::max(f.newest_arrival, r.arrival);
      targets.push_back(r.target_key);
      if (r.initiator_ip != kEmptyStr) {
        ips.push_back(r.initiator_ip);
        if (f.src.empty()) f.src = order_.Text(r.initiator_ip);
      }
      kind_bits |= 1u << static_cast<unsigned>(r.kind);
      const size_t src = static_cast<size_t>(r.source);  // anything else prints "Other"
      source_bits |=
          1u << (src < events::kSourceCount ? src : static_cast<size_t>(events::Source::kOther));
    }
    SortUnique(&targets);
    SortUnique(&ips);
    f.affected_accounts.reserve(targets.size());
    for (StrId t : targets) f.affected_accounts.emplace_back(names_.Of(t));
    std::sort(f.affected_accounts.begin(), f.affected_accounts.end());
    f.source_ips.reserve(ips.size());
    for (StrId ip : ips) f.source_ips.emplace_back(order_.Text(ip));
    std::sort(f.source_ips.begin(), f.source_ips.end());
    // The printed source names, in text order.
    for (size_t src = 0; src < events::kSourceCount; ++src) {
      if (source_bits & (1u << src)) f.sources.emplace_back(events::kSourceNames[src].printed);
    }
    std::sort(f.sources.begin(), f.sources.end());
    for (size_t k = 0; k < events::kKindCount; ++k) {
      if (kind_bits & (1u << k)) f.recovery_kinds.emplace_back(events::kKindNames[k]);
    }
    std::sort(f.recovery_kinds.begin(), f.recovery_kinds.end());
    f.unique_targets = static_cast<int64_t>(targets.size());
    f.first_reset = who.resets[members.front()].time;
    f.finding_id =
        BulkFindingId(f.initiator_key, d_.resets[who.resets[members.front()].index], order_);
    f.last_reset = who.resets[members.back()].time;
    // The seed's round(x, 0) on a non-negative number: half up.
    f.timespan_minutes = (f.last_reset - f.first_reset + 30'000) / 60'000;
    f.failed_resets = CountInSpan(who.failed, f.first_reset, f.last_reset);
    f.allowlisted_resets = CountInSpan(who.allowlisted, f.first_reset, f.last_reset);
    f.severity = BulkSeverity(f.unique_targets, f.helpdesk_named);
    return f;
  }

 private:
  const DedupedEvents& d_;
  const PrintedNames& names_;
  const StrOrder& order_;
  BulkIncidents* out_;
  bool keep_members_;
  std::vector<StrId> targets_, ips_;  // scratch, kept between incidents
};

Initiators GroupByInitiator(const DedupedEvents& d, const PrintedNames& names,
                            const Options& options) {
  constexpr uint32_t kNone = UINT32_MAX;
  Initiators g;
  // Keys are pool ids: a dense table finds an initiator's slot.
  StrId max_key = 0;
  for (const IdentityEvent& e : d.resets) max_key = std::max(max_key, e.initiator_key);
  for (const IdentityEvent& e : d.failed_resets) max_key = std::max(max_key, e.initiator_key);
  std::vector<uint32_t> slot_of(static_cast<size_t>(max_key) + 1, kNone);
  struct Counts {
    uint32_t resets = 0, allowlisted = 0, failed = 0;
  };
  std::vector<Counts> counts;
  auto slot = [&](const IdentityEvent& e) -> uint32_t {
    uint32_t& at = slot_of[e.initiator_key];
    if (at == kNone) {
      at = static_cast<uint32_t>(g.list.size());
      g.list.emplace_back();
      g.list.back().key = e.initiator_key;
      counts.emplace_back();
    }
    if (e.helpdesk) g.list[at].helpdesk_named = true;
    return at;
  };
  // One pass over the events: each reset's slot and record (and one over the failed ones);
  // the per-initiator arrays are then filled from these, not from the events again.
  struct Slotted {
    uint32_t slot;
    bool allowlisted;
    ResetRec rec;
  };
  std::vector<Slotted> slotted(d.resets.size());
  for (size_t i = 0; i < d.resets.size(); ++i) {
    const IdentityEvent& e = d.resets[i];
    Slotted& s = slotted[i];
    s.slot = slot(e);
    s.allowlisted = e.allowlisted;
    s.rec = {e.time,   Arrival(e), e.target_key, e.initiator_ip, static_cast<uint32_t>(i),
             e.source, e.kind};
    Counts& c = counts[s.slot];
    ++(e.allowlisted ? c.allowlisted : c.resets);
  }
  std::vector<std::pair<uint32_t, TimeMs>> failed(d.failed_resets.size());
  for (size_t i = 0; i < d.failed_resets.size(); ++i) {
    const IdentityEvent& e = d.failed_resets[i];
    failed[i] = {slot(e), e.time};
    ++counts[failed[i].first].failed;
  }
  // Each initiator's ranges, in slot order; then a second pass fills them in event order.
  std::vector<Counts> at(counts.size());
  Counts total;
  for (size_t k = 0; k < counts.size(); ++k) {
    at[k] = total;
    total.resets += counts[k].resets;
    total.allowlisted += counts[k].allowlisted;
    total.failed += counts[k].failed;
  }
  g.resets.resize(total.resets);
  g.allowlisted.resize(total.allowlisted);
  g.failed.resize(total.failed);
  for (const Slotted& s : slotted) {
    Counts& c = at[s.slot];
    if (s.allowlisted) {
      g.allowlisted[c.allowlisted++] = s.rec.time;
    } else {
      g.resets[c.resets++] = s.rec;
    }
  }
  for (const auto& [s, time] : failed) g.failed[at[s].failed++] = time;
  for (size_t k = 0; k < g.list.size(); ++k) {
    Initiator& who = g.list[k];
    const Counts& end = at[k];  // advanced to the end of k's ranges by the fill
    who.resets = {g.resets.data() + end.resets - counts[k].resets, counts[k].resets};
    who.allowlisted = {g.allowlisted.data() + end.allowlisted - counts[k].allowlisted,
                       counts[k].allowlisted};
    who.failed = {g.failed.data() + end.failed - counts[k].failed, counts[k].failed};
    if (!who.helpdesk_named && options.is_helpdesk_name) {
      who.helpdesk_named = options.is_helpdesk_name(names.Of(who.key));
    }
  }
  return g;
}

void FixedBins(const Initiator& who, IncidentBuilder* build, const Options& options,
               std::vector<uint32_t>* members) {
  const DurationMs width = std::max<DurationMs>(options.window, 1);
  const int64_t min_targets = std::max<int64_t>(options.min_targets, 1);
  // A bin is a run of who.resets (they are in time order).
  auto flush = [&](size_t begin, size_t end) {
    if (begin == end) return;
    members->resize(end - begin);
    std::iota(members->begin(), members->end(), static_cast<uint32_t>(begin));
    BulkFinding f = build->Build(who, *members);
    // The seed's filter, with the help-desk regex it uses for RiskScore (not its narrower one).
    if (f.unique_targets >= min_targets || who.helpdesk_named)
      build->Keep(who, *members, std::move(f));
  };
  size_t begin = 0;
  int64_t bin = 0;
  for (size_t k = 0; k < who.resets.size(); ++k) {
    int64_t b = FloorDiv(who.resets[k].time, width);
    if (k > begin && b != bin) {
      flush(begin, k);
      begin = k;
    }
    bin = b;
  }
  flush(begin, who.resets.size());
}

// Scratch for SlidingWindows, kept from one initiator to the next.
struct SlidingScratch {
  std::vector<TimeMs> times;
  std::vector<uint32_t> targets;
  std::vector<StrId> keys;  // distinct target keys, ascending ids: a dense target is its rank
  PeakWindowFinder finder;
};

void SlidingWindows(const Initiator& who, IncidentBuilder* build, const Options& options,
                    SlidingScratch* s) {
  s->times.clear();
  s->targets.clear();
  s->keys.clear();
  for (const ResetRec& r : who.resets) s->keys.push_back(r.target_key);
  SortUnique(&s->keys);
  for (const ResetRec& r : who.resets) {
    s->times.push_back(r.time);
    s->targets.push_back(static_cast<uint32_t>(
        std::lower_bound(s->keys.begin(), s->keys.end(), r.target_key) - s->keys.begin()));
  }
  for (const PeakWindow& w :
       s->finder.Find(s->times, s->targets, std::max<DurationMs>(options.window, 0),
                      options.min_targets, who.helpdesk_named)) {
    build->Keep(who, w.members, build->Build(who, w.members));
  }
}

}  // namespace

Severity BulkSeverity(int64_t unique_targets, bool helpdesk_named) {
  if (unique_targets >= 5) return Severity::kCritical;
  if (unique_targets >= 3) return Severity::kHigh;
  if (unique_targets >= 2) return Severity::kMedium;
  if (helpdesk_named && unique_targets >= 1) return Severity::kMedium;
  return Severity::kLow;
}

BulkIncidents FindBulk(const DedupedEvents& d, const PrintedNames& names, const StrOrder& order,
                       const Options& options, bool keep_members) {
  BulkIncidents out;
  IncidentBuilder build(d, names, order, &out, keep_members);
  SlidingScratch scratch;
  std::vector<uint32_t> members;
  const Initiators initiators = GroupByInitiator(d, names, options);
  for (const Initiator& who : initiators.list) {
    if (who.resets.empty()) continue;
    if (options.binning == Binning::kFixed) {
      FixedBins(who, &build, options, &members);
    } else {
      SlidingWindows(who, &build, options, &scratch);
    }
  }
  return out;
}

void RaiseChained(const std::vector<TimeMs>& starts_chain, int64_t min_targets,
                  BulkIncidents* incidents) {
  for (size_t k = 0; k + 1 < incidents->begin.size(); ++k) {
    BulkFinding& f = incidents->findings[k];
    // An incident that qualified only by the help-desk name is not raised: the chain row is
    // that finding (DESIGN.md §3.3).
    if (f.unique_targets < min_targets) continue;
    // The escalation appears once the first of its chains is visible: that chain's arrival
    // is when the critical incident is new (§3.7).
    TimeMs first_chain = kNoChain;
    for (uint32_t m = incidents->begin[k]; m < incidents->begin[k + 1]; ++m) {
      const TimeMs at = starts_chain[incidents->members[m]];
      if (at != kNoChain && (first_chain == kNoChain || at < first_chain)) first_chain = at;
    }
    if (first_chain == kNoChain) continue;
    f.raised_by_chain = true;
    f.severity = Severity::kCritical;
    f.newest_arrival = std::max(f.newest_arrival, first_chain);
  }
}

}  // namespace vd::detect
