#include "medtwin/io/apple_health.hpp"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include "medtwin/core/error.hpp"
#include "medtwin/io/apple_health_xml.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

// Real ECG recordings are ~30 s at 512 Hz (about 200 KB); anything far larger
// is not one, and must not be read into memory.
constexpr std::size_t kMaxEcgBytes = 64 << 20;
constexpr std::size_t kEcgChunkBytes = 64 << 10;

enum class Content { zip, xml, ecg_csv };

Content sniff(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 4096);
  if (head.starts_with("PK\x03\x04")) return Content::zip;
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  if (head.starts_with("Name,") && head.find("\nRecorded Date,") != std::string_view::npos &&
      head.find("\nSample Rate,") != std::string_view::npos)
    return Content::ecg_csv;
  return Content::xml;
}

bool is_health_xml(std::string_view head) {
  return head.find("<HealthData") != std::string_view::npos ||
         head.find("<!DOCTYPE HealthData") != std::string_view::npos;
}

[[noreturn]] void throw_zip_error(const std::string& name, zip_error_t* error) {
  std::string what = zip_error_strerror(error);
  zip_error_fini(error);
  throw ParseError(fmt::format("{}: cannot read the zip archive ({}); is the file complete?", name, what));
}

struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

// A zip archive opened read-only through libzip.
class ZipArchive {
 public:
  static ZipArchive open_file(const fs::path& path) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_file_create(path.c_str(), 0, 0, &error);
    if (!source) throw_zip_error(path.string(), &error);
    return ZipArchive(source, path.string());
  }
  static ZipArchive open_memory(std::string_view bytes, const std::string& name) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (!source) throw_zip_error(name, &error);
    return ZipArchive(source, name);
  }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;
  ~ZipArchive() { zip_discard(archive_); }

  const std::string& name() const { return name_; }

  // The export's entries: the shallowest */export.xml and every ECG CSV.
  struct Entries {
    std::optional<zip_uint64_t> export_xml;
    std::vector<zip_uint64_t> ecgs;
  };
  Entries entries() const {
    Entries found;
    std::size_t best_depth = 0;
    zip_int64_t count = zip_get_num_entries(archive_, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
      const char* raw = zip_get_name(archive_, zip_uint64_t(i), ZIP_FL_ENC_GUESS);
      if (!raw) continue;
      std::string_view entry = raw;
      if (entry.starts_with("__MACOSX/")) continue;  // resource forks added by macOS
      std::size_t depth = std::size_t(std::count(entry.begin(), entry.end(), '/'));
      if ((entry == "export.xml" || entry.ends_with("/export.xml")) && (!found.export_xml || depth < best_depth)) {
        found.export_xml = zip_uint64_t(i);
        best_depth = depth;
      } else if (entry.find("electrocardiograms/") != std::string_view::npos && entry.ends_with(".csv")) {
        found.ecgs.push_back(zip_uint64_t(i));
      }
    }
    return found;
  }

  std::string entry_name(zip_uint64_t index) const {
    const char* raw = zip_get_name(archive_, index, ZIP_FL_ENC_GUESS);
    return name_ + "/" + (raw ? raw : "?");
  }

  std::uint64_t entry_size(zip_uint64_t index) const {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive_, index, 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE)) return 0;
    return stat.size;
  }

  // Streams one entry: `consume` is handed a reader of its bytes.
  template <typename Consume>
  void read_entry(zip_uint64_t index, Consume&& consume) const {
    std::string name = entry_name(index);
    zip_file_t* file = zip_fopen_index(archive_, index, 0);
    if (!file) throw ParseError(fmt::format("{}: cannot open ({})", name, zip_strerror(archive_)));
    std::unique_ptr<zip_file_t, ZipFileCloser> closer(file);
    consume(name, [file, &name](char* buffer, std::size_t capacity) {
      zip_int64_t got = zip_fread(file, buffer, capacity);
      if (got < 0) throw ParseError(fmt::format("{}: {}; is the zip archive complete?", name, zip_file_strerror(file)));
      return std::size_t(got);
    });
  }

 private:
  ZipArchive(zip_source_t* source, std::string name) : name_(std::move(name)) {
    zip_error_t error;
    zip_error_init(&error);
    archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (!archive_) {
      zip_source_free(source);
      throw_zip_error(name_, &error);
    }
    zip_error_fini(&error);
  }

  zip_t* archive_ = nullptr;
  std::string name_;
};

void read_zip(const ZipArchive& zip, const ImportOptions& options, RecordSink& sink) {
  auto entries = zip.entries();
  if (!entries.export_xml)
    throw ParseError(fmt::format("{}: no apple_health_export/export.xml inside; not an Apple Health export", zip.name()));
  std::uint64_t total = zip.entry_size(*entries.export_xml);
  zip.read_entry(*entries.export_xml, [&](const std::string& name, const apple_health::ChunkReader& read) {
    apple_health::read_export_xml(name, read, total, options, sink);
  });
  for (auto index : entries.ecgs) {
    zip.read_entry(index, [&](const std::string& name, const apple_health::ChunkReader& read) {
      std::string csv;
      for (;;) {
        std::size_t size = csv.size();
        csv.resize(size + kEcgChunkBytes);
        std::size_t got = read(csv.data() + size, kEcgChunkBytes);
        csv.resize(size + got);
        if (got == 0) break;
        if (csv.size() > kMaxEcgBytes) throw ParseError(name + ": too large for an ECG recording");
      }
      read_apple_ecg_csv(csv, name, sink);
    });
  }
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

void read_xml_file(const fs::path& path, const ImportOptions& options, RecordSink& sink) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw NotFound(fmt::format("{}: cannot open file", path.string()));
  std::string name = path.string();
  std::error_code ec;
  std::uint64_t total = fs::file_size(path, ec);
  auto read = [&](char* buffer, std::size_t capacity) {
    std::size_t got = std::fread(buffer, 1, capacity, file.get());
    if (got == 0 && std::ferror(file.get())) throw Error(fmt::format("{}: read error", name));
    return got;
  };
  apple_health::read_export_xml(name, read, ec ? 0 : total, options, sink);
}

void read_ecg_file(const fs::path& path, RecordSink& sink) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec || size > kMaxEcgBytes) throw ParseError(fmt::format("{}: too large for an ECG recording", path.string()));
  std::string csv = read_head(path, std::size_t(size));
  read_apple_ecg_csv(csv, path.string(), sink);
}

class AppleHealthImporter final : public Importer {
 public:
  std::string_view name() const override { return "apple-health"; }
  std::string_view version() const override { return "1"; }

  bool accepts(const fs::path& path, std::string_view head, const ImportOptions&) const override {
    switch (sniff(head)) {
      case Content::zip:
        if (!has_extension(path, ".zip")) return false;
        try {
          return ZipArchive::open_file(path).entries().export_xml.has_value();
        } catch (const Error&) {
          return false;
        }
      case Content::ecg_csv:
        return true;
      case Content::xml:
        return is_health_xml(head);
    }
    return false;
  }

  void read(const fs::path& path, const ImportOptions& options, RecordSink& sink) const override {
    switch (sniff(read_head(path))) {
      case Content::zip:
        return read_zip(ZipArchive::open_file(path), options, sink);
      case Content::ecg_csv:
        return read_ecg_file(path, sink);
      case Content::xml:
        return read_xml_file(path, options, sink);
    }
  }
};

}  // namespace

std::unique_ptr<Importer> make_apple_health_importer() { return std::make_unique<AppleHealthImporter>(); }

void read_apple_health(std::string_view bytes, const std::string& name, const ImportOptions& options,
                       RecordSink& sink) {
  switch (sniff(bytes)) {
    case Content::zip:
      return read_zip(ZipArchive::open_memory(bytes, name), options, sink);
    case Content::ecg_csv:
      return read_apple_ecg_csv(bytes, name, sink);
    case Content::xml: {
      std::size_t offset = 0;
      auto read = [&](char* buffer, std::size_t capacity) {
        std::size_t got = std::min(capacity, bytes.size() - offset);
        std::memcpy(buffer, bytes.data() + offset, got);
        offset += got;
        return got;
      };
      return apple_health::read_export_xml(name, read, bytes.size(), options, sink);
    }
  }
}

}  // namespace medtwin
