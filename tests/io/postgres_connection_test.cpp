// URL redaction, identifier quoting and placeholder rewriting of the libpq helper; the
// connection's errors against a real server.
#include "io/postgres_connection.h"

#include <gtest/gtest.h>

#include "custlens/error.h"
#include "support/postgres_test.h"

namespace custlens::io {
namespace {

TEST(PostgresConnection, RedactsPasswords) {
  EXPECT_EQ(redact_postgres_url("postgresql://ann:s3cret@db:5432/shop"),
            "postgresql://ann:***@db:5432/shop");
  EXPECT_EQ(redact_postgres_url("postgres://ann@db/shop?password=x&sslmode=off"),
            "postgres://ann@db/shop?password=***&sslmode=off");
  EXPECT_EQ(redact_postgres_url("postgresql://ann@db/shop"), "postgresql://ann@db/shop");
  EXPECT_EQ(redact_postgres_url("postgresql://db:5432/shop"), "postgresql://db:5432/shop");
  EXPECT_TRUE(is_postgres_url("postgres://x/y"));
  EXPECT_FALSE(is_postgres_url("sqlite:x.db"));
}

TEST(PostgresConnection, QuotesIdentifiers) {
  EXPECT_EQ(quote_identifier("orders"), "\"orders\"");
  EXPECT_EQ(quote_identifier("a\"b; DROP TABLE x"), "\"a\"\"b; DROP TABLE x\"");
  EXPECT_EQ(quote_qualified_name("sales.orders"), "\"sales\".\"orders\"");
  EXPECT_THROW(quote_qualified_name("a.b.c"), Error);
  EXPECT_THROW(quote_qualified_name(".b"), Error);
  EXPECT_THROW(quote_identifier(""), Error);
}

TEST(PostgresConnection, RewritesPlaceholdersOutsideQuotes) {
  std::size_t count = 0;
  EXPECT_EQ(postgres_placeholders("INSERT INTO t VALUES (?, '?', \"?\", ?) -- ?\n", count),
            "INSERT INTO t VALUES ($1, '?', \"?\", $2) -- ?\n");
  EXPECT_EQ(count, 2U);
  EXPECT_EQ(postgres_placeholders("SELECT 'it''s ?', ? /* ? */ , ?", count),
            "SELECT 'it''s ?', $1 /* ? */ , $2");
  EXPECT_EQ(count, 2U);
  EXPECT_EQ(postgres_placeholders("SELECT 1", count), "SELECT 1");
  EXPECT_EQ(count, 0U);
}

TEST(PostgresConnection, RefusedConnectionNamesHostAndPort) {
  // Port 1 on the loopback: nothing listens there.
  try {
    PgConnection connection("postgresql://ann:s3cret@127.0.0.1:1/shop");
    FAIL() << "connected";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("postgresql://ann:***@127.0.0.1:1/shop: cannot connect"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("port 1"), std::string::npos) << message;
    EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(PostgresConnection, AnUnparsableUrlKeepsItsPasswordHidden) {
  // libpq quotes the URI it cannot parse in its message.
  try {
    PgConnection connection("postgresql://ann:s3cret@[bad/shop");
    FAIL() << "connected";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()).find("s3cret"), std::string::npos) << error.what();
  }
}

TEST(PostgresConnection, BadUrlIsOneLine) {
  for (const std::string url :
       {"postgresql://host:notaport/db", "postgresql://h/db?bogus=1", "mysql://h/db"}) {
    try {
      PgConnection connection(url);
      FAIL() << url;
    } catch (const Error& error) {
      EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos) << error.what();
    }
  }
}

TEST(PostgresConnection, MissingDatabaseAndUnknownUser) {
  CUSTLENS_POSTGRES_DATABASE(url);
  const std::string base = url.substr(0, url.rfind('/') + 1);
  try {
    PgConnection connection(base + "no_such_database");
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("does not exist"), std::string::npos) << error.what();
  }
  // An unknown role: trust authentication still checks that the role exists.
  const std::string stranger = "postgresql://nobody@" + base.substr(base.find('@') + 1) + "x";
  EXPECT_THROW(PgConnection connection(stranger), Error);
}

}  // namespace
}  // namespace custlens::io
