// KafkaLink: marketd's side of the event stream. Starts the embedded mock
// cluster when no brokers are configured (and creates the topic), runs the
// outbox Publisher over the journal, wakes it after every durable group, and
// reports where the stream is and how far it lags.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "broker/server/marketd_options.h"
#include "broker/server/sequencer.h"
#include "marketplace/v1/service.pb.h"
#include "storage/journal.h"

namespace market::kafka {
class EmbeddedKafka;
class Publisher;
}  // namespace market::kafka

namespace market::server {

class KafkaLink final : public GroupListener {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaLink>> Start(const MarketdOptions& options,
                                                          storage::Journal& journal);
  ~KafkaLink() override;

  const std::string& bootstrap_servers() const { return bootstrap_; }
  bool embedded() const { return embedded_ != nullptr; }
  void FillStats(uint64_t last_sequence, marketplace::v1::MarketStats* stats) const;
  // Stops publishing (what is delivered stays delivered; the cursor is kept).
  void Stop();

  void OnGroupDurable(uint64_t last_sequence,
                      std::span<const marketplace::v1::Event> events) override;

 private:
  KafkaLink() = default;

  std::unique_ptr<kafka::EmbeddedKafka> embedded_;
  std::unique_ptr<kafka::Publisher> publisher_;
  std::string bootstrap_;
  std::string topic_;
};

}  // namespace market::server
