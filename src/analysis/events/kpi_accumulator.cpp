// KpiAccumulator: each user's events grouped by day, hour and key, then counted once per group.
#include "analysis/events/kpi_accumulator.h"

#include <algorithm>

namespace custlens::analysis::events {
namespace {

std::optional<double> ratio(std::int64_t num, std::int64_t den) {
  if (den == 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

}  // namespace

void KpiAccumulator::Counts::merge(const Counts& o) {
  pv += o.pv;
  users += o.users;
  buys += o.buys;
  buy_users += o.buy_users;
}

KpiAccumulator::KpiAccumulator(const EventNames& names, const LocalClock& clock)
    : names_(&names), clock_(&clock) {
  if (const auto pv = names.find_behavior("pv")) pv_code_ = *pv;
  if (const auto buy = names.find_behavior("buy")) buy_code_ = *buy;
}

void KpiAccumulator::add_user(std::uint32_t /*user*/, std::span<const Event> events) {
  if (events.empty()) return;
  ++uv_;
  if (events.size() == 1 && events[0].behavior == pv_code_) ++bouncers_;
  // Per day and per hour: marks sorted by key, each group counted once for the user.
  const auto add_groups = [&](auto key_of, auto counts_of) {
    marks_.clear();
    for (const Event& e : events) {
      marks_.push_back({key_of(e), e.behavior == pv_code_, e.behavior == buy_code_});
    }
    return tally_marks(counts_of);
  };
  const std::int64_t buy_days = add_groups([&](const Event& e) { return clock_->day(e.ts); },
                                           [&](std::int64_t day) -> Counts& { return days_[day]; });
  add_groups([&](const Event& e) { return static_cast<std::int64_t>(clock_->hour(e.ts)); },
             [&](std::int64_t hour) -> Counts& { return hours_[static_cast<std::size_t>(hour)]; });
  for (const Event& e : events) {
    pv_ += e.behavior == pv_code_;
    buys_ += e.behavior == buy_code_;
  }
  buy_users_ += buy_days > 0;
  repurchasers_ += buy_days >= 2;
  add_keys(events, &Event::category, categories_);
  add_keys(events, &Event::item, items_);
}

void KpiAccumulator::add_keys(std::span<const Event> events, std::uint32_t Event::*key,
                              std::vector<Counts>& per_key) {
  marks_.clear();
  for (const Event& e : events) {
    if (e.*key == kNoKey) continue;
    marks_.push_back({e.*key, e.behavior == pv_code_, e.behavior == buy_code_});
  }
  tally_marks([&](std::int64_t key) -> Counts& {
    const auto id = static_cast<std::size_t>(key);
    if (id >= per_key.size()) per_key.resize(id + 1);
    return per_key[id];
  });
}

template <class CountsOf>
std::int64_t KpiAccumulator::tally_marks(CountsOf counts_of) {
  std::sort(marks_.begin(), marks_.end());
  std::int64_t buy_groups = 0;
  for (std::size_t b = 0; b < marks_.size();) {
    Counts& c = counts_of(marks_[b].key);
    bool bought = false;
    std::size_t e = b;
    for (; e < marks_.size() && marks_[e].key == marks_[b].key; ++e) {
      c.pv += marks_[e].pv;
      c.buys += marks_[e].buy;
      bought = bought || marks_[e].buy;
    }
    ++c.users;
    c.buy_users += bought;
    buy_groups += bought;
    b = e;
  }
  return buy_groups;
}

void KpiAccumulator::merge(const KpiAccumulator& other) {
  pv_ += other.pv_;
  uv_ += other.uv_;
  buys_ += other.buys_;
  buy_users_ += other.buy_users_;
  repurchasers_ += other.repurchasers_;
  bouncers_ += other.bouncers_;
  for (const auto& [day, counts] : other.days_) days_[day].merge(counts);
  for (std::size_t h = 0; h < hours_.size(); ++h) hours_[h].merge(other.hours_[h]);
  const auto merge_keys = [](std::vector<Counts>& into, const std::vector<Counts>& from) {
    if (into.size() < from.size()) into.resize(from.size());
    for (std::size_t i = 0; i < from.size(); ++i) into[i].merge(from[i]);
  };
  merge_keys(categories_, other.categories_);
  merge_keys(items_, other.items_);
}

std::vector<KeyKpis> KpiAccumulator::top(const std::vector<Counts>& per_key,
                                         const std::vector<std::string>& key_names) const {
  std::vector<KeyKpis> keys;
  for (std::size_t id = 0; id < per_key.size(); ++id) {
    const Counts& c = per_key[id];
    if (c.users == 0) continue;
    keys.push_back({id < key_names.size() ? key_names[id] : std::to_string(id), c.pv, c.users,
                    c.buys, c.buy_users, ratio(c.buys, c.pv)});
  }
  const auto by_pv = [](const KeyKpis& a, const KeyKpis& b) {
    if (a.pv != b.pv) return a.pv > b.pv;
    return a.key < b.key;
  };
  const std::size_t n = std::min(kTopKeys, keys.size());
  std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(n), keys.end(), by_pv);
  keys.resize(n);
  return keys;
}

BehaviorKpis KpiAccumulator::finish() const {
  BehaviorKpis k;
  k.pv = pv_;
  k.uv = uv_;
  k.buys = buys_;
  k.buy_users = buy_users_;
  k.pv_per_uv = ratio(pv_, uv_);
  k.conversion_rate = ratio(buy_users_, uv_);
  k.bounce_rate = ratio(bouncers_, uv_);
  k.repurchase_rate = ratio(repurchasers_, buy_users_);
  for (const auto& [day, c] : days_) k.days.push_back({day, c.pv, c.users, c.buys, c.buy_users});
  for (std::size_t h = 0; h < hours_.size(); ++h) {
    k.hours.push_back({static_cast<int>(h), hours_[h].pv, hours_[h].users, hours_[h].buys});
  }
  k.categories = top(categories_, names_->categories);
  k.items = top(items_, names_->items);
  return k;
}

}  // namespace custlens::analysis::events
