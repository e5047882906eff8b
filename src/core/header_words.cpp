// The header tokeniser and its dictionary: English and Chinese spellings of the words column
// roles are scored by, each mapped to a canonical meaning ("客户", "cust", "client" → customer).
#include "core/header_words.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/utf8.h"

namespace custlens::core {
namespace {

struct Entry {
  std::string_view meaning;
  std::string_view meaning2;
  bool neutral;
};

struct DictionaryRow {
  std::string_view meaning;
  std::string_view meaning2;  ///< a second meaning ("客单价" is aov; "页数" is page and count)
  bool neutral;
  std::string_view spellings;  ///< '|'-separated, lower-case
};

// Spellings are lower-case; English nouns are singular (plurals are found by stemming).
constexpr DictionaryRow kDictionary[] = {
    // Who.
    {"customer", "", false, "customer|cust|client|consumer|shopper|patron|客户|顾客|消费者|客人"},
    {"user", "", false, "user|usr|用户|使用者"},
    {"user", "id", false, "uid|userid"},
    {"member", "", false, "member|mbr|会员"},
    {"buyer", "", false, "buyer|purchaser|买家|买方|购买者|购买人|下单人"},
    {"account", "", false, "account|acct|acc|账号|帐号|账户|帐户"},
    {"email", "", false, "email|mail|邮箱|电子邮件"},
    {"nick", "", false, "nick|nickname|昵称"},
    {"name", "", false, "name|nm|名称|名字|姓名|名"},
    {"id", "", false, "id|identifier|guid|uuid|key|标识|标识符"},
    {"number", "", false, "no|nr|nbr|num|number|numero|ref|reference|#|号|编号|号码|单号|序号"},
    {"code", "", false, "code|cd|编码|代码|码"},
    // Orders and what happens to them.
    {"order", "", false, "order|ord|订单|下单|订购|单|笔"},
    {"order", "", false, "ordered"},
    {"invoice", "", false, "invoice|inv|bill|receipt|发票|账单|小票|票据"},
    {"transaction", "", false, "transaction|txn|trans|tx|交易|流水|成交"},
    {"purchase", "", false, "purchase|purchased|purchasing|buy|bought|购买|购物|采购|购"},
    {"payment", "", false, "pay|paid|payment|支付|付款|实付"},
    {"spend", "", false, "spend|spent|spending|expenditure|expense|消费|花费|支出|消费额"},
    {"created", "", false, "created|create|creation|placed|创建|生成"},
    {"at", "", true, "at"},
    {"line", "", false, "line|lineitem|明细"},
    {"sold", "", false, "sold|售出|卖出"},
    // When.
    {"date", "", false, "date|dt|日期"},
    {"time", "", false, "time|时间|时刻"},
    {"timestamp", "", false, "timestamp|ts|datetime|时间戳"},
    {"day", "", true, "day|d|天|天数|日数|日"},
    {"month", "", false, "month|mo|月|月份"},
    {"week", "", false, "week|wk|周|星期"},
    {"year", "", false, "year|yr|年|年度|年份"},
    {"hour", "", true, "hour|hr|hrs|h|小时"},
    {"minute", "", true, "minute|min|mins|分钟|分"},
    {"second", "", true, "second|sec|secs|秒|秒数"},
    {"duration", "", false, "duration|dur|length|时长|时间长度|长度"},
    {"recency", "", false, "recency"},
    {"last", "", false, "last|latest|上次|最后|最后一次|末次|上一次"},
    {"recent", "", false, "recent|recently|最近|近期|最新|最近一次"},
    {"since", "", false, "since|ago|interval|gap|距|距离|距今|以来|至今|间隔"},
    {"inactive", "", false, "inactive|dormant|idle|沉睡|未活跃|不活跃|未登录|未购买"},
    {"first", "", false, "first|首次|第一次|首单"},
    {"register", "", false,
     "register|registered|registration|signup|join|joined|enroll|enrolled|enrollment|"
     "onboard|注册|入会|开户"},
    {"birth", "", false, "birth|birthday|dob|born|出生|生日"},
    {"update", "", false, "update|updated|modified|modify|更新|修改"},
    {"cancel", "", false, "cancel|cancelled|canceled|cancellation|取消"},
    {"refund", "", false, "refund|refunded|return|returned|退款|退货"},
    // How many, how much.
    {"quantity", "", false, "quantity|qty|qnty|quant|units|pieces|数量|件数|销量|购买量"},
    {"count", "", false, "count|cnt|times|次数|数|笔数|量|个数|总数"},
    {"frequency", "", false, "frequency|freq|frequence|频率|频次"},
    {"price", "", false, "price|prc|pricing|价格|售价|价|价钱|定价"},
    {"price", "unit", false, "单价"},
    {"unit", "", false, "unit|单位"},
    {"each", "", true, "each|per|every|每|每个|每次|人均"},
    {"cost", "", false, "cost|成本"},
    {"amount", "", false, "amount|amt|金额|额|款|货款|钱"},
    {"total", "", false,
     "total|tot|sum|overall|gross|cumulative|lifetime|总|总计|合计|累计|总共|累积|共计"},
    {"total", "amount", false, "总额|总金额"},
    {"subtotal", "", false, "subtotal|小计"},
    {"revenue", "", false, "revenue|sales|sale|turnover|gmv|营业额|营收|销售|销售额"},
    {"value", "", false, "value|val|值|价值"},
    {"money", "", true,
     "$|usd|cny|rmb|eur|gbp|jpy|hkd|¥|€|£|元|美元|人民币|万元|千元|块|dollar|yuan|euro|"
     "currency|货币"},
    {"monetary", "", false, "monetary"},
    {"actual", "", false, "actual|real|net|实际|实收|净"},
    {"discount", "", false, "discount|coupon|voucher|折扣|优惠|优惠券"},
    {"tax", "", false, "tax|vat|gst|税|税费|税额"},
    {"shipping", "", false,
     "shipping|ship|shipment|freight|delivery|delivered|dispatch|配送|发货|收货|物流|快递|运单"},
    {"fee", "", false, "fee|charge|费|费用|邮费|运费"},
    {"profit", "", false, "profit|margin|利润|毛利"},
    {"average", "", false, "average|avg|mean|平均|均"},
    {"aov", "", false, "aov|atv|客单价|笔单价|平均客单价"},
    {"basket", "", false, "basket|cart|ticket|购物车"},
    {"inventory", "", false, "inventory|库存"},
    {"balance", "", false, "balance|credit|budget|limit|target|余额|预算|额度"},
    // Behaviour on the site.
    {"login", "", false, "login|log|logon|signin|logged|登录|登陆"},
    {"visit", "", false, "visit|visited|访问|到访|来访"},
    {"active", "", false, "active|activity|活跃"},
    {"seen", "", false, "seen"},
    {"online", "", false, "online|在线"},
    {"stay", "", false, "stay|stayed|dwell|停留|逗留"},
    {"site", "", false, "site|website|web|webpage|网站|网页|站点|官网|站内"},
    {"app", "", false, "app|application|应用|小程序"},
    {"session", "", false, "session|会话"},
    {"platform", "", false, "platform|平台|店铺|商城"},
    {"page", "", false, "page|页|页面"},
    {"page", "count", false, "页数|页面数"},
    {"view", "", false, "view|viewed|viewing|browse|browsed|browsing|浏览|查看"},
    {"page", "view", false, "pv|pageview"},
    {"click", "", false, "click|clicks|点击"},
    {"behavior", "", false, "behavior|behaviour|action|event|行为|动作|事件"},
    // Who the customer is.
    {"gender", "", false, "gender|sex|性别"},
    {"age", "", false, "age|年龄|岁数"},
    {"age", "", true, "岁"},
    {"income", "", false, "income|salary|wage|earning|earnings|收入|工资|薪资|薪水|月薪|年薪"},
    {"annual", "", false, "annual|yearly|年均"},
    {"household", "", false, "household|family|家庭"},
    {"interest", "", false, "interest|hobby|hobbies|兴趣|爱好"},
    {"preference", "", false,
     "preference|preferred|pref|favorite|favourite|fav|偏好|喜好|喜欢|常购"},
    {"level", "", false, "level|tier|grade|等级|水平|层级|级别|档次"},
    {"group", "", false, "group|band|range|bracket|segment|组|段|分组|分段|区间"},
    {"score", "", false, "score|rating|rate|评分|评级|分数|率"},
    {"status", "", false, "status|状态"},
    {"flag", "", false, "flag|is|has|是否"},
    // What was bought.
    {"product", "", false, "product|prod|产品|商品|货品|宝贝|物品"},
    {"item", "", false, "item|article|条目"},
    {"goods", "", false, "goods|merchandise|货物"},
    {"stock", "", false, "stock"},
    {"sku", "", false, "sku|asin|upc|ean|barcode|gtin|条码|条形码|货号"},
    {"variant", "", false, "variant|规格|型号"},
    {"description", "", false, "description|desc|descr|detail|details|描述|说明|详情|简介"},
    {"title", "", false, "title|标题"},
    {"category", "", false,
     "category|cat|categ|class|classification|genre|department|dept|类别|类目|品类|分类|种类|类"},
    {"type", "", false, "type|kind|类型"},
    {"brand", "", false, "brand|品牌"},
    {"shop", "", false, "shop|store|seller|merchant|vendor|卖家|商家|门店|商户"},
    // Where.
    {"country", "", false, "country|nation|国家|国别|国籍"},
    {"region", "", false, "region|area|territory|zone|地区|区域|地域|大区"},
    {"location", "", false, "location|loc|geo|geography|位置|地理位置"},
    {"province", "", false, "province|state|省|省份|州"},
    {"city", "", false, "city|town|城市|市"},
    {"district", "", false, "district|county|区县|县|区"},
    {"address", "", false, "address|addr|street|地址|街道"},
    {"zip", "", false, "zip|zipcode|postcode|postal|邮编"},
    {"phone", "", false, "phone|tel|telephone|mobile|cell|电话|手机|手机号"},
    {"billing", "", false, "billing"},
    {"home", "", false, "home|resident|residence|hometown|居住|常住|家乡"},
    {"recipient", "", false, "recipient|consignee|收件人|收货人"},
    {"language", "", false, "language|lang|语言"},
    // Decorations, stop words and units that never count against a role.
    {"", "", true,
     "of|the|on|in|for|to|a|an|by|from|with|and|or|&|'s|s|e|n|utc|gmt|local|的|之|或|及|和|所在|"
     "所属|当前|"
     "current|%|％|‰|percent|pct|pcs|kg|g|件|个|次|人|k|m|x|unnamed|column"},
};

// Plural event nouns mean "how many": purchases, orders, visits, views.
constexpr std::string_view kCountable[] = {"purchase", "order",   "transaction", "visit",
                                           "login",    "session", "view",        "page",
                                           "item",     "product", "invoice",     "click"};

// Words that spell dictionary words but are something else (valid = val + id, timeline).
constexpr std::string_view kUnsplittable[] = {"valid",  "invalid", "timeline", "android",
                                              "status", "update",  "paid",     "said"};

using Dictionary = absl::flat_hash_map<std::string_view, Entry>;

const Dictionary& dictionary() {
  static const Dictionary words = [] {
    Dictionary map;
    for (const DictionaryRow& row : kDictionary) {
      std::string_view rest = row.spellings;
      while (!rest.empty()) {
        const std::size_t bar = rest.find('|');
        const std::string_view spelling = rest.substr(0, bar);
        map.try_emplace(spelling, Entry{row.meaning, row.meaning2, row.neutral});
        rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
      }
    }
    return map;
  }();
  return words;
}

std::size_t longest_term_bytes() {
  static const std::size_t longest = [] {
    std::size_t size = 0;
    for (const auto& [spelling, entry] : dictionary()) size = std::max(size, spelling.size());
    return size;
  }();
  return longest;
}

std::optional<Entry> find_word(std::string_view text) {
  const Dictionary& words = dictionary();
  if (auto it = words.find(text); it != words.end()) return it->second;
  return std::nullopt;
}

// A dictionary word, or the singular of a plural English one (categories, purchases, boxes).
std::optional<Entry> find_english(std::string_view text, bool& plural) {
  plural = false;
  if (auto entry = find_word(text)) return entry;
  if (text.size() > 3 && text.ends_with("ies")) {
    std::string singular(text.substr(0, text.size() - 3));
    singular += 'y';
    if (auto entry = find_word(singular)) return plural = true, entry;
  }
  if (text.size() > 3 && text.ends_with("es")) {
    if (auto entry = find_word(text.substr(0, text.size() - 2))) return plural = true, entry;
  }
  if (text.size() > 2 && text.ends_with('s') && !text.ends_with("ss")) {
    if (auto entry = find_word(text.substr(0, text.size() - 1))) return plural = true, entry;
  }
  return std::nullopt;
}

bool countable(std::string_view meaning) {
  return std::find(std::begin(kCountable), std::end(kCountable), meaning) != std::end(kCountable);
}

HeaderWord make_word(std::string text, const std::optional<Entry>& entry, bool plural,
                     bool in_brackets) {
  HeaderWord word;
  word.text = std::move(text);
  if (entry) {
    word.meanings[0] = std::string(entry->meaning);
    word.meanings[1] = std::string(entry->meaning2);
    word.neutral = entry->neutral;
    if (plural && word.meanings[1].empty() && countable(entry->meaning)) word.meanings[1] = "count";
  } else {
    word.meanings[0] = word.text;
  }
  word.neutral = word.neutral || in_brackets;
  return word;
}

// A run-together lower-case word (totalspend, dayssincelastlogin) as dictionary words, fewest
// pieces first; empty when it cannot be split entirely into known words.
std::vector<std::string_view> split_compound(std::string_view text) {
  const std::size_t n = text.size();
  if (n < 4 || n > 64 ||
      std::find(std::begin(kUnsplittable), std::end(kUnsplittable), text) !=
          std::end(kUnsplittable)) {
    return {};
  }
  // Two-letter pieces only where they are common suffixes: customerid, invoiceno, timeonsite.
  auto piece_ok = [](std::string_view piece) {
    if (piece.size() < 2) return false;
    if (piece.size() == 2) {
      return piece == "id" || piece == "no" || piece == "on" || piece == "of" || piece == "at" ||
             piece == "nr" || piece == "pv";
    }
    bool plural = false;
    const std::optional<Entry> entry = find_english(piece, plural);
    return entry.has_value() && !entry->meaning.empty();
  };
  constexpr int kNone = 1 << 20;
  std::vector<int> pieces(n + 1, kNone);
  std::vector<std::size_t> from(n + 1, 0);
  pieces[0] = 0;
  for (std::size_t end = 1; end <= n; ++end) {
    for (std::size_t start = 0; start < end; ++start) {
      if (pieces[start] == kNone || pieces[start] + 1 >= pieces[end]) continue;
      if (piece_ok(text.substr(start, end - start))) {
        pieces[end] = pieces[start] + 1;
        from[end] = start;
      }
    }
  }
  if (pieces[n] == kNone || pieces[n] < 2) return {};
  std::vector<std::string_view> out;
  for (std::size_t end = n; end > 0; end = from[end])
    out.push_back(text.substr(from[end], end - from[end]));
  std::reverse(out.begin(), out.end());
  return out;
}

void add_english(std::vector<HeaderWord>& words, std::string lower, bool in_brackets) {
  bool plural = false;
  if (std::optional<Entry> entry = find_english(lower, plural)) {
    words.push_back(make_word(std::move(lower), entry, plural, in_brackets));
    return;
  }
  const std::vector<std::string_view> pieces = split_compound(lower);
  if (pieces.empty()) {
    words.push_back(make_word(std::move(lower), std::nullopt, false, in_brackets));
    return;
  }
  for (std::string_view piece : pieces) {
    std::optional<Entry> entry = find_english(piece, plural);
    words.push_back(make_word(std::string(piece), entry, plural, in_brackets));
  }
}

// An ASCII letter run split at camelCase boundaries: daysSinceLastLogin, CustomerID, IDNumber.
void add_ascii_run(std::vector<HeaderWord>& words, std::string_view run, bool in_brackets) {
  auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t start = 0;
  for (std::size_t i = 1; i <= run.size(); ++i) {
    bool cut = i == run.size();
    if (!cut) {
      const char prev = run[i - 1], c = run[i];
      cut = (is_lower(prev) && is_upper(c)) || (is_digit(prev) != is_digit(c)) ||
            (is_upper(prev) && is_upper(c) && i + 1 < run.size() && is_lower(run[i + 1]));
    }
    if (!cut) continue;
    std::string piece(run.substr(start, i - start));
    start = i;
    if (is_digit(piece.front())) {
      words.push_back(make_word(std::move(piece), Entry{"", "", true}, false, in_brackets));
      continue;
    }
    std::transform(piece.begin(), piece.end(), piece.begin(),
                   [&](char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; });
    add_english(words, std::move(piece), in_brackets);
  }
}

// Chinese by forward maximum matching; unknown characters in a row make one unknown word.
void add_chinese_run(std::vector<HeaderWord>& words, std::string_view run, bool in_brackets) {
  std::string unknown;
  auto flush = [&] {
    if (unknown.empty()) return;
    words.push_back(make_word(std::move(unknown), std::nullopt, false, in_brackets));
    unknown.clear();
  };
  std::size_t i = 0;
  while (i < run.size()) {
    std::size_t matched = 0;
    for (std::size_t size = std::min(longest_term_bytes(), run.size() - i); size >= 3; size -= 3) {
      if (find_word(run.substr(i, size))) {
        matched = size;
        break;
      }
    }
    if (matched == 0) {
      unknown.append(run.substr(i, 3));
      i += 3;
      continue;
    }
    flush();
    const std::string_view term = run.substr(i, matched);
    words.push_back(make_word(std::string(term), find_word(term), false, in_brackets));
    i += matched;
  }
  flush();
}

// Decodes one UTF-8 code point at `i`; invalid bytes read as U+FFFD, one byte each.
char32_t decode(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  std::size_t length = lead < 0x80         ? 1
                       : (lead >> 5) == 6  ? 2
                       : (lead >> 4) == 14 ? 3
                       : (lead >> 3) == 30 ? 4
                                           : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  return code;
}

bool is_han(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }
bool opens(char32_t c) {
  return c == '(' || c == '[' || c == '{' || c == '<' || c == 0x3010 || c == 0x300A ||
         c == 0x300C || c == 0x300E || c == 0x3014;
}
bool closes(char32_t c) {
  return c == ')' || c == ']' || c == '}' || c == '>' || c == 0x3011 || c == 0x300B ||
         c == 0x300D || c == 0x300F || c == 0x3015;
}

// "number of orders", "num purchases", "# of visits": a count, not an identifier; "Sub Total"
// is one word.
void mark_counts(std::vector<HeaderWord>& words) {
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i].text == "sub" && words[i + 1].has("total")) {
      words[i].text += words[i + 1].text;
      words[i].meanings = {"subtotal", ""};
      words.erase(words.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
  }
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const bool counter = words[i].has("number") || words[i].text == "n" || words[i].text == "nb";
    if (!counter) continue;
    // The counted noun may follow a qualifier: NumWebPurchases.
    const bool counts = words[i + 1].text == "of" || words[i + 1].has("count") ||
                        (i + 2 < words.size() && words[i + 2].has("count"));
    if (counts) {
      words[i].meanings = {"count", ""};
      words[i].neutral = false;
    }
  }
}

}  // namespace

std::vector<HeaderWord> split_header(std::string_view name) {
  // Full-width forms to ASCII, so that （元） and ＩＤ read as (元) and ID.
  std::string text;
  text.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    char32_t code = decode(name, i);
    if (code >= 0xFF01 && code <= 0xFF5E) code = code - 0xFF01 + 0x21;
    if (code == 0x3000 || code == 0xFEFF) code = ' ';
    if (code == 0xFFE5) code = 0xA5;  // ￥
    common::append_utf8(text, static_cast<std::uint32_t>(code));
  }

  std::vector<HeaderWord> words;
  int depth = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const char32_t code = decode(text, i);
    const bool in_brackets = depth > 0;
    if (opens(code)) {
      ++depth;
    } else if (closes(code)) {
      depth = std::max(depth - 1, 0);
    } else if ((code >= 'A' && code <= 'Z') || (code >= 'a' && code <= 'z') ||
               (code >= '0' && code <= '9')) {
      std::size_t end = i;
      while (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) ++end;
      // "k$" (Annual Income (k$)) and "'s" stay attached to their word.
      add_ascii_run(words, std::string_view(text).substr(start, end - start), in_brackets);
      i = end;
    } else if (is_han(code)) {
      std::size_t end = i;
      while (end < text.size()) {
        std::size_t next = end;
        if (!is_han(decode(text, next))) break;
        end = next;
      }
      add_chinese_run(words, std::string_view(text).substr(start, end - start), in_brackets);
      i = end;
    } else {
      // A symbol that means something ($, ¥, %, #) is a word; any other is a separator.
      const std::string symbol(std::string_view(text).substr(start, i - start));
      if (std::optional<Entry> entry = find_word(symbol)) {
        words.push_back(make_word(symbol, entry, false, in_brackets));
      }
    }
  }
  mark_counts(words);
  return words;
}

}  // namespace custlens::core
