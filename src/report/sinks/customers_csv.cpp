// The customers.csv sink: one row per customer, of order lines (columns in the README) or of a
// profile table (docs/profile.md).
#include <fmt/format.h>

#include "io/csv_writer.h"
#include "io/dates.h"
#include "report/sinks/sink.h"

namespace custlens::report {
namespace {

void write_order_customers(const RfmResult& rfm, const std::string& path) {
  io::CsvWriter out(path);
  for (const char* name :
       {"customer_id", "recency_days", "frequency", "monetary", "first_purchase", "last_purchase",
        "r_score", "f_score", "m_score", "rfm_code", "segment", "tenure_days", "avg_order_value"}) {
    out.field(name);
  }
  out.end_row();
  for (const CustomerRfm& c : rfm.customers) {
    out.field(c.customer_id);
    out.field(c.recency_days);
    out.field(c.frequency);
    out.field(c.monetary, 2);
    out.field(io::format_timestamp(c.first_purchase));
    out.field(io::format_timestamp(c.last_purchase));
    out.field(std::int64_t{c.r_score});
    out.field(std::int64_t{c.f_score});
    out.field(std::int64_t{c.m_score});
    out.field(fmt::format("{}{}{}", c.r_score, c.f_score, c.m_score));
    out.field(rfm.segments[static_cast<std::size_t>(c.segment)].name);
    out.field(c.tenure_days);
    out.field(c.avg_order_value, 2);
    out.end_row();
  }
  out.close();
}

// customer_id, recency, frequency, monetary, r_score, f_score, m_score, rfm_code, segment,
// profile_tier, cluster, pc1, pc2; one row per kept customer in input order.
void write_profile_customers(const ProfileTable& table, const ProfileResult& result,
                             const std::string& path) {
  io::CsvWriter out(path);
  for (const char* name :
       {"customer_id", "recency", "frequency", "monetary", "r_score", "f_score", "m_score",
        "rfm_code", "segment", "profile_tier", "cluster", "pc1", "pc2"}) {
    out.field(name);
  }
  out.end_row();
  const ProfileCustomerScores& s = result.scores;
  for (std::size_t i = 0; i < table.size(); ++i) {
    out.field(table.customer_id[i]);
    out.field(fmt::format("{}", table.recency[i]));
    out.field(fmt::format("{}", table.frequency[i]));
    out.field(fmt::format("{}", table.monetary[i]));
    out.field(std::int64_t{s.r[i]});
    out.field(std::int64_t{s.f[i]});
    out.field(std::int64_t{s.m[i]});
    out.field(fmt::format("{}{}{}", s.r[i], s.f[i], s.m[i]));
    out.field(result.segments[static_cast<std::size_t>(s.segment[i])].name);
    out.field(profile_tier_id(s.tier[i]));
    out.field(std::int64_t{s.cluster[i]});
    out.field(s.pc1[i], 6);
    out.field(s.pc2[i], 6);
    out.end_row();
  }
  out.close();
}

bool write_customers(const SinkResults& results, const SinkContext& context,
                     const std::filesystem::path& path, bool /*required*/) {
  if (results.orders() == nullptr && results.profile() == nullptr) return false;
  const std::string staged = context.outputs.stage(path).string();
  if (const Summary* orders = results.orders()) {
    write_order_customers(orders->rfm, staged);
  } else {
    const ProfileRun& profile = *results.profile();
    write_profile_customers(*profile.input.table, profile.result, staged);
  }
  return true;
}

}  // namespace

CUSTLENS_REGISTER_SINK(customers_csv, "customers.csv", 10, write_customers);

}  // namespace custlens::report
