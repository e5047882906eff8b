// The generator's fixed tables, after the UCI Online Retail set: countries, the gift-ware
// product vocabulary, order quantities and the calendar weights.
#pragma once

namespace custlens::io::vocabulary {

// The 38 countries of UCI with their customer counts there (UK ~90 %); guests use line counts.
struct CountryShare {
  const char* name;
  double customers;
  double lines;
};
constexpr CountryShare kCountries[] = {{"United Kingdom", 3950, 495478},
                                       {"Germany", 95, 9495},
                                       {"France", 87, 8557},
                                       {"EIRE", 3, 8196},
                                       {"Spain", 31, 2533},
                                       {"Netherlands", 9, 2371},
                                       {"Belgium", 25, 2069},
                                       {"Switzerland", 21, 2002},
                                       {"Portugal", 19, 1519},
                                       {"Australia", 9, 1259},
                                       {"Norway", 10, 1086},
                                       {"Italy", 15, 803},
                                       {"Channel Islands", 9, 758},
                                       {"Finland", 12, 695},
                                       {"Cyprus", 8, 622},
                                       {"Sweden", 8, 462},
                                       {"Unspecified", 4, 446},
                                       {"Austria", 11, 401},
                                       {"Denmark", 9, 389},
                                       {"Japan", 8, 358},
                                       {"Poland", 6, 341},
                                       {"Israel", 4, 297},
                                       {"USA", 4, 291},
                                       {"Hong Kong", 1, 288},
                                       {"Singapore", 1, 229},
                                       {"Iceland", 1, 182},
                                       {"Canada", 4, 151},
                                       {"Greece", 4, 146},
                                       {"Malta", 2, 127},
                                       {"United Arab Emirates", 2, 68},
                                       {"European Community", 1, 61},
                                       {"RSA", 1, 58},
                                       {"Lebanon", 1, 45},
                                       {"Lithuania", 1, 35},
                                       {"Brazil", 1, 32},
                                       {"Czech Republic", 1, 30},
                                       {"Bahrain", 2, 19},
                                       {"Saudi Arabia", 1, 10}};

// Product nouns with a typical unit price in pence; each holds a keyword of categories.toml,
// except the last few, which land in "Other" as some UCI items do.
struct Noun {
  const char* text;
  int pence;
};
constexpr Noun kNouns[] = {{"LUNCH BAG", 165},
                           {"JUMBO BAG", 208},
                           {"SHOPPER BAG", 125},
                           {"CHARLOTTE BAG", 85},
                           {"TOTE BAG", 195},
                           {"GIFT BAG", 42},
                           {"HANGING LANTERN", 375},
                           {"FAIRY LIGHTS", 425},
                           {"STRING LIGHTS", 495},
                           {"NIGHT LIGHT", 210},
                           {"TABLE LAMP", 895},
                           {"OIL LAMP", 375},
                           {"T-LIGHT HOLDER", 295},
                           {"SCENTED CANDLE", 125},
                           {"PILLAR CANDLE", 165},
                           {"CANDLE POT", 145},
                           {"MUG", 125},
                           {"TEA CUP AND SAUCER", 295},
                           {"PAPER PLATES", 85},
                           {"CAKE STAND", 995},
                           {"BOWL", 165},
                           {"TEAPOT", 495},
                           {"KITCHEN SCALES", 850},
                           {"APRON", 295},
                           {"CAKE TINS", 495},
                           {"MILK JUG", 255},
                           {"EGG CUP", 125},
                           {"NECKLACE", 425},
                           {"DROP EARRINGS", 295},
                           {"CHARM BRACELET", 375},
                           {"BEADED NECKLACE", 595},
                           {"BROOCH", 165},
                           {"CHRISTMAS DECORATION", 85},
                           {"CHRISTMAS TREE", 295},
                           {"ADVENT CALENDAR", 495},
                           {"BAUBLES", 165},
                           {"SANTA", 125},
                           {"REINDEER", 165},
                           {"GREETING CARD", 42},
                           {"GIFT WRAP", 42},
                           {"RIBBONS", 165},
                           {"TISSUES", 39},
                           {"ENVELOPES", 85},
                           {"BIRTHDAY CARD", 42},
                           {"NOTEBOOK", 165},
                           {"PENCILS", 65},
                           {"STICKER SHEET", 85},
                           {"RULER", 42},
                           {"DIARY", 295},
                           {"SKIPPING ROPE", 145},
                           {"JIGSAW", 295},
                           {"TOY CAR", 125},
                           {"RAG DOLL", 375},
                           {"TEDDY BEAR", 495},
                           {"KITE", 295},
                           {"DOMINOES", 125},
                           {"GARDEN KNEELER", 295},
                           {"PLANT POT", 165},
                           {"WATERING CAN", 375},
                           {"BIRD HOUSE", 595},
                           {"HERB MARKER", 65},
                           {"STORAGE BOX", 295},
                           {"BASKET", 425},
                           {"STORAGE JAR", 295},
                           {"TIN", 165},
                           {"COAT HOOK", 125},
                           {"DRAWER KNOB", 125},
                           {"TRINKET BOX", 125},
                           {"PHOTO FRAME", 255},
                           {"METAL SIGN", 210},
                           {"WALL CLOCK", 850},
                           {"MIRROR", 495},
                           {"CUSHION COVER", 375},
                           {"DOORMAT", 795},
                           {"HANGING HEART", 165},
                           {"VASE", 375},
                           {"WREATH", 425},
                           {"PARTY BUNTING", 495},
                           {"CAKE CASES", 55},
                           {"PARTY CONES", 125},
                           {"PAPER CHAIN KIT", 295},
                           {"SOAP", 125},
                           {"BATH SALTS", 295},
                           {"HAND TOWEL", 295},
                           {"UMBRELLA", 595},
                           {"SCARF", 425},
                           {"HAIR CLIPS", 85},
                           {"KEY RING", 65},
                           {"PURSE", 255},
                           {"FRIDGE MAGNETS", 85},
                           {"PAPERWEIGHT", 165},
                           {"DOOR STOP", 425},
                           {"PICNIC BLANKET", 595},
                           {"HOT WATER BOTTLE", 495},
                           {"BOTTLE OPENER", 125}};

// Design words: none of them is a category keyword, so the noun decides the category.
constexpr const char* kStyles[] = {
    "RED RETROSPOT",  "PINK POLKADOT", "BLUE POLKADOT", "VINTAGE", "REGENCY", "WOODLAND",
    "DOLLY GIRL",     "PAISLEY PARK",  "SKULLS",        "PANTRY",  "FRENCH",  "ENGLISH ROSE",
    "STRAWBERRY",     "WHITE",         "BLACK",         "IVORY",   "PINK",    "GREEN",
    "ANTIQUE SILVER", "GLASS",         "ENAMEL",        "WOODEN",  "ZINC",    "RETRO",
    "FLORAL",         "SWALLOWS",      "ALPHABET",      "LOVE",    "SPOTTY",  "STRIPE",
    "HEN HOUSE",      "CREAM",         "ROSE",          "SILVER",  "GOLD",    "SKY BLUE",
    "APPLES",         "CHERRY",        "DAISY",         "BIRDIE"};

struct Prefix {
  const char* text;
  double price_factor;
};
constexpr Prefix kSizePrefixes[] = {{"SMALL", 0.7}, {"LARGE", 1.4}, {"MINI", 0.5}};
constexpr Prefix kSetPrefixes[] = {
    {"SET OF 3", 2.6}, {"SET OF 4", 3.2}, {"SET OF 6", 4.5}, {"PACK OF 12", 3.0}};

// Quantities as ordered in UCI: wholesale packs of 6, 12 and 24 are common.
constexpr int kQuantities[] = {1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 25, 36, 48, 72, 96, 144};
constexpr double kQuantityWeights[] = {16, 14, 6, 9, 2, 12, 3,   4,   22,
                                       1,  1,  6, 1, 1, 1,  0.5, 0.5, 0.3};

// Daily intensity per month (Dec 2010 .. Dec 2011): autumn build-up to a November peak.
constexpr double kMonthWeights[] = {1.05, 0.80, 0.80, 0.90, 0.80, 1.00, 0.95,
                                    0.95, 0.95, 1.35, 1.45, 1.85, 1.60};
// Monday .. Sunday: no Saturday trade, Thursday busiest (UCI line counts).
constexpr double kWeekdayWeights[] = {0.88, 0.85, 0.88, 1.00, 0.78, 0.00, 0.60};
// Hours 0..23: trade from 7 to 20, lunchtime peak at 12.
constexpr double kHourWeights[] = {0,  0,  0,  0,  0,  0,  0, 0.4, 9, 34, 49, 57,
                                   80, 66, 60, 58, 50, 28, 8, 4,   1, 0,  0,  0};

}  // namespace custlens::io::vocabulary
