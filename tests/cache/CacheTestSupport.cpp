#include "tests/cache/CacheTestSupport.h"

namespace lb::test {

std::unique_ptr<cache::LocalCache> openCache(const std::filesystem::path& root)
{
    auto cache = cache::LocalCache::open(root);
    EXPECT_TRUE(cache.ok()) << (cache.ok() ? "" : cache.error().message());
    return cache.ok() ? std::move(*cache) : nullptr;
}

cache::ImportReport importOrFail(cache::LocalCache& cache, const std::vector<std::filesystem::path>& inputs)
{
    auto report = cache::importIntoCache(cache, inputs);
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message());
    return report.ok() ? *report : cache::ImportReport{};
}

int64_t countRows(cache::LocalCache& cache, const std::string& table)
{
    auto statement = cache.connection().prepare("SELECT count(*) FROM " + table);
    EXPECT_TRUE(statement.ok());
    EXPECT_TRUE(statement->step().ok());
    return statement->integer(0);
}

size_t filesInStore(cache::LocalCache& cache) { return filesUnder(cache.layout().storeDir()).size(); }

int oracleImageFileCount()
{
    int total = 0;
    for (const auto& file : filesUnder(testData()))
        if (file.filename() == "oracle.json" && !isDerivedTestData(file)) total += readJson(file)["files"]["dicom_image_files"].get<int>();
    return total;
}

} // namespace lb::test
