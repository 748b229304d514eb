#pragma once
#include "cache/Importer.h"
#include "cache/StudyQuery.h"
#include "tests/support/TestSupport.h"

#include <gtest/gtest.h>
#include <memory>

namespace lb::test {

std::unique_ptr<cache::LocalCache> openCache(const std::filesystem::path& root);
cache::ImportReport importOrFail(cache::LocalCache& cache, const std::vector<std::filesystem::path>& inputs);
int64_t countRows(cache::LocalCache& cache, const std::string& table);
size_t filesInStore(cache::LocalCache& cache);

// The number of image files the oracle.json files of tests/data describe.
int oracleImageFileCount();

} // namespace lb::test
