// The rejects.csv sink: file,line,rule,detail,content, one row per rejected input row, written as
// the scan finds them (a streaming sink: it exists before any result does).
#include "io/csv_writer.h"
#include "report/sinks/sink.h"

namespace custlens::report {
namespace {

class RejectsCsv final : public RejectWriter {
 public:
  explicit RejectsCsv(const std::string& path) : out_(path) {
    for (const char* name : {"file", "line", "rule", "detail", "content"}) out_.field(name);
    out_.end_row();
  }
  void add(std::span<const Reject> rejects) override {
    for (const Reject& r : rejects) {
      out_.field(r.file);
      out_.field(r.line);
      out_.field(r.rule);
      out_.field(r.detail);
      out_.field(r.content);
      out_.end_row();
    }
  }
  void close() override { out_.close(); }

 private:
  io::CsvWriter out_;
};

std::unique_ptr<RejectWriter> open_rejects(const SinkContext& context,
                                           const std::filesystem::path& path) {
  return std::make_unique<RejectsCsv>(context.outputs.stage(path).string());
}

}  // namespace

CUSTLENS_REGISTER_REJECT_SINK(rejects_csv, "rejects.csv", 0, open_rejects);

}  // namespace custlens::report
