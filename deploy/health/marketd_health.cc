// marketd-health: asks a gRPC server's grpc.health.v1.Health/Check once and
// exits 0 only when the answer is SERVING. For Docker HEALTHCHECK and for
// Kubernetes exec probes where the native gRPC probe cannot be used (it speaks
// plaintext only, so it fails once marketd serves TLS).
//
// It needs no generated code: the request and the reply are encoded by hand.
//
//   HealthCheckRequest  { string service = 1; }          tag 0x0a, length, bytes
//   HealthCheckResponse { ServingStatus status = 1; }    tag 0x08, varint
//   ServingStatus: 0 UNKNOWN, 1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN
//
// Exit codes: 0 SERVING; 1 any other status; 2 the RPC failed (refused,
// timed out, TLS handshake); 3 bad arguments or unreadable files.
//
// Built on its own (deploy/Dockerfile), not part of the CMake project:
//   g++ -std=c++20 -O2 marketd_health.cc $(pkg-config --cflags --libs grpc++)
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/byte_buffer.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

constexpr char kUsage[] =
    "usage: marketd-health [--addr HOST:PORT] [--service NAME] [--timeout-ms N]\n"
    "                      [--tls-ca FILE [--tls-server-name NAME]\n"
    "                       [--tls-cert FILE --tls-key FILE]]\n"
    "Calls grpc.health.v1.Health/Check; exit 0 when SERVING, 1 for another status,\n"
    "2 when the call fails, 3 for bad arguments. Defaults: --addr 127.0.0.1:50051,\n"
    "--service \"\" (the whole server), --timeout-ms 2000, plaintext.\n";

constexpr size_t kMaxServiceNameBytes = 200;
constexpr size_t kMaxFileBytes = 1 << 20;  // certificates and keys

struct Options {
  std::string addr = "127.0.0.1:50051";
  std::string service;
  int64_t timeout_ms = 2000;
  std::string tls_ca;
  std::string tls_server_name;
  std::string tls_cert;
  std::string tls_key;
};

std::optional<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = std::move(text).str();
  if (content.size() > kMaxFileBytes) return std::nullopt;
  return content;
}

// Parses argv into `options`; returns false (after a message) on bad input.
bool ParseArgs(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "marketd-health: %s needs a value\n%s", argv[i], kUsage);
      return false;
    }
    const std::string value = argv[++i];
    if (flag == "--addr") {
      options.addr = value;
    } else if (flag == "--service") {
      options.service = value;
    } else if (flag == "--timeout-ms") {
      try {
        options.timeout_ms = std::stoll(value);
      } catch (const std::exception&) {
        options.timeout_ms = 0;
      }
      if (options.timeout_ms <= 0 || options.timeout_ms > 600'000) {
        std::fprintf(stderr, "marketd-health: --timeout-ms must be 1..600000\n");
        return false;
      }
    } else if (flag == "--tls-ca") {
      options.tls_ca = value;
    } else if (flag == "--tls-server-name") {
      options.tls_server_name = value;
    } else if (flag == "--tls-cert") {
      options.tls_cert = value;
    } else if (flag == "--tls-key") {
      options.tls_key = value;
    } else {
      std::fprintf(stderr, "marketd-health: unknown flag %s\n%s", argv[i - 1], kUsage);
      return false;
    }
  }
  if (options.service.size() > kMaxServiceNameBytes) {
    std::fprintf(stderr, "marketd-health: --service longer than %zu bytes\n", kMaxServiceNameBytes);
    return false;
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    std::fprintf(stderr, "marketd-health: --tls-cert and --tls-key go together\n");
    return false;
  }
  if (options.tls_ca.empty() && (!options.tls_cert.empty() || !options.tls_server_name.empty())) {
    std::fprintf(stderr, "marketd-health: TLS flags need --tls-ca\n");
    return false;
  }
  return true;
}

// HealthCheckRequest with `service` (empty: no field at all).
std::string EncodeRequest(const std::string& service) {
  std::string bytes;
  if (service.empty()) return bytes;
  bytes.push_back('\x0a');
  size_t length = service.size();
  while (length >= 0x80) {
    bytes.push_back(static_cast<char>((length & 0x7f) | 0x80));
    length >>= 7;
  }
  bytes.push_back(static_cast<char>(length));
  bytes += service;
  return bytes;
}

std::optional<uint64_t> ReadVarint(std::string_view& in) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

// The `status` field of a HealthCheckResponse; 0 (UNKNOWN) when absent;
// nullopt when the bytes do not parse. Unknown fields are skipped.
std::optional<uint64_t> DecodeStatus(std::string_view in) {
  uint64_t status = 0;
  while (!in.empty()) {
    const std::optional<uint64_t> key = ReadVarint(in);
    if (!key) return std::nullopt;
    const uint64_t field = *key >> 3;
    switch (*key & 7) {
      case 0: {
        const std::optional<uint64_t> value = ReadVarint(in);
        if (!value) return std::nullopt;
        if (field == 1) status = *value;
        break;
      }
      case 1:
        if (in.size() < 8) return std::nullopt;
        in.remove_prefix(8);
        break;
      case 2: {
        const std::optional<uint64_t> length = ReadVarint(in);
        if (!length || *length > in.size()) return std::nullopt;
        in.remove_prefix(static_cast<size_t>(*length));
        break;
      }
      case 5:
        if (in.size() < 4) return std::nullopt;
        in.remove_prefix(4);
        break;
      default:
        return std::nullopt;
    }
  }
  return status;
}

std::string ByteBufferToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

const char* StatusName(uint64_t status) {
  switch (status) {
    case 0:
      return "UNKNOWN";
    case 1:
      return "SERVING";
    case 2:
      return "NOT_SERVING";
    case 3:
      return "SERVICE_UNKNOWN";
    default:
      return "unrecognised";
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseArgs(argc, argv, options)) return 3;

  std::shared_ptr<grpc::ChannelCredentials> credentials;
  grpc::ChannelArguments arguments;
  if (options.tls_ca.empty()) {
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    const std::optional<std::string> ca = ReadSmallFile(options.tls_ca);
    if (!ca) {
      std::fprintf(stderr, "marketd-health: cannot read %s\n", options.tls_ca.c_str());
      return 3;
    }
    ssl.pem_root_certs = *ca;
    if (!options.tls_cert.empty()) {
      const std::optional<std::string> cert = ReadSmallFile(options.tls_cert);
      const std::optional<std::string> key = ReadSmallFile(options.tls_key);
      if (!cert || !key) {
        std::fprintf(stderr, "marketd-health: cannot read %s or %s\n", options.tls_cert.c_str(),
                     options.tls_key.c_str());
        return 3;
      }
      ssl.pem_cert_chain = *cert;
      ssl.pem_private_key = *key;
    }
    credentials = grpc::SslCredentials(ssl);
    if (!options.tls_server_name.empty()) {
      arguments.SetSslTargetNameOverride(options.tls_server_name);
    }
  }
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(options.addr, credentials, arguments);

  const std::string request_bytes = EncodeRequest(options.service);
  grpc::Slice request_slice(request_bytes);
  grpc::ByteBuffer request(&request_slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(options.timeout_ms));

  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> call =
      stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check", request, &queue);
  if (call == nullptr) {
    std::fprintf(stderr, "marketd-health: %s: could not start the call\n", options.addr.c_str());
    return 2;
  }
  call->StartCall();
  grpc::Status rpc_status;
  call->Finish(&response, &rpc_status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  if (!queue.Next(&tag, &ok) || !ok) {
    std::fprintf(stderr, "marketd-health: %s: the call did not complete\n", options.addr.c_str());
    return 2;
  }
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  if (!rpc_status.ok()) {
    std::fprintf(stderr, "marketd-health: %s: %d %s\n", options.addr.c_str(),
                 static_cast<int>(rpc_status.error_code()), rpc_status.error_message().c_str());
    return 2;
  }
  const std::optional<uint64_t> status = DecodeStatus(ByteBufferToString(response));
  if (!status) {
    std::fprintf(stderr, "marketd-health: %s: unparsable reply\n", options.addr.c_str());
    return 2;
  }
  std::printf("%s\n", StatusName(*status));
  return *status == 1 ? 0 : 1;
}
