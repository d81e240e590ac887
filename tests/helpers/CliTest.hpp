// A GoogleTest fixture for command-line tests: a fresh directory per test (removed afterwards) and
// the path of the `higgsuq` program under test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "helpers/SharedData.hpp"

namespace higgsuq::test {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = std::filesystem::temp_directory_path() /
            ("higgsuq-cli-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(m_dir);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  /// `name` inside this test's directory.
  std::string path(const std::string& name) const { return (m_dir / name).string(); }
  static std::string cli() { return cliBinary().string(); }

  std::filesystem::path m_dir;
};

}  // namespace higgsuq::test
