/*
** connectors/nexmark_gen.c: the deterministic Nexmark event generator (nexmark_gen.h).
**
** The functions below are the specification in docs/nexmark.md written as C; when the two
** disagree, fix one of them. Layout of the file:
**   - the event-number functions (ids, kinds, times, the newest person/auction),
**   - the per-event random generator (SplitMix64 seeded with the event id) and the random
**     pieces built from it (bounded integers, prices, words, filler letters),
**   - static tables built once per process (names, channels and their URLs, price table),
**   - nx_event: one person, auction or bid.
**
** Cost: generating an event allocates nothing and takes no lock. Strings are written into the
** caller's buffer sixteen letters per step, or point into the static tables. The tables are
** built by nx_config_init under pthread_once.
**
** Portability: gcc or clang (unsigned __int128, vector extensions), not tcc. The only floating
** point is the price; it uses + and * alone (no libm), and contraction into fused
** multiply-adds is off, so prices are the same bits on every IEEE-754 machine and -march.
**
** It does not pace, batch, split work between subtasks or know about rows: that is
** connectors/nexmark.c.
*/
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nexmark_gen.h"

/* ---- event numbers -------------------------------------------------------------------- */

/* Events within a group of out_of_order_group consecutive numbers are permuted (953 is prime
** to every group size that is not a multiple of 953); with groups of 1 the id is the number. */
uint64_t nx_event_id(const NxConfig *c, uint64_t n) {
  uint64_t g = c->out_of_order_group;
  if (g <= 1) return n;
  return n / g * g + (n % g) * 953 % g;
}

/* Every run of `total` consecutive ids (an "epoch") holds person_proportion persons, then
** auction_proportion auctions, then the bids. Pos is an id split into epoch and offset; the
** division is a multiply-high by total_magic plus one correction step (exact for every id). */
typedef struct Pos {
  int64_t epoch;         /* id / total */
  uint64_t off;          /* id % total */
} Pos;

static inline Pos pos_of(const NxConfig *c, uint64_t id) {
  uint64_t q = (uint64_t)(((unsigned __int128)id * c->total_magic) >> 64);
  uint64_t r = id - q * c->total;
  if (r >= c->total) { q++; r -= c->total; }
  Pos p = { (int64_t)q, r };
  return p;
}

static inline int kind_at(const NxConfig *c, Pos p) {
  if (p.off < c->person_proportion) return NX_PERSON;
  if (p.off < (uint64_t)c->person_proportion + c->auction_proportion) return NX_AUCTION;
  return NX_BID;
}

/* The newest person as of this position: itself when it is a person, else the epoch's last. */
static inline int64_t last_person(const NxConfig *c, Pos p) {
  uint64_t off = p.off < c->person_proportion ? p.off : c->person_proportion - 1;
  return p.epoch * c->person_proportion + (int64_t)off;
}

/* The newest auction: itself when it is an auction, the epoch's last one for a bid, the
** previous epoch's last one for a person (-1 in the first epoch). */
static inline int64_t last_auction(const NxConfig *c, Pos p) {
  int64_t epoch = p.epoch, off;
  if (p.off < c->person_proportion) {
    epoch--;
    off = (int64_t)c->auction_proportion - 1;
  } else if (p.off >= (uint64_t)c->person_proportion + c->auction_proportion) {
    off = (int64_t)c->auction_proportion - 1;
  } else {
    off = (int64_t)(p.off - c->person_proportion);
  }
  return epoch * c->auction_proportion + off;
}

int nx_event_kind(const NxConfig *c, uint64_t id) { return kind_at(c, pos_of(c, id)); }
int64_t nx_last_person(const NxConfig *c, uint64_t id) { return last_person(c, pos_of(c, id)); }
int64_t nx_last_auction(const NxConfig *c, uint64_t id) { return last_auction(c, pos_of(c, id)); }

/* The event with id `id` happens at base + id * delay (the standard generator stamps the
** "adjusted" event number, i.e. the id, so out-of-order ids carry out-of-order times). */
static int64_t time_of_id(const NxConfig *c, uint64_t id) {
  return c->base_time_ns + (int64_t)id * c->inter_event_ns;
}

int64_t nx_event_time(const NxConfig *c, uint64_t n) {
  return time_of_id(c, nx_event_id(c, n));
}

/* ---- the per-event random generator ---------------------------------------------------- */

/* SplitMix64 (Steele, Lea, Flood 2014): the state advances by a fixed odd constant and each
** output is a bijective mix of the state. Seeding it with the event id gives every event its
** own stream: two events share a state only if their ids differ by d * increment (mod 2^64)
** for a draw distance d, and for every d below 64 (an event makes at most about 30 draws)
** that is at least 2^57 away from 0, so no two events with ids below 2^56 ever do. */
typedef struct Rng {
  uint64_t s;            /* state */
} Rng;

static inline uint64_t rnd(Rng *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Uniform in [0, n) by multiply-high (Lemire); the bias is below n / 2^64. n = 0 gives 0. */
static inline uint64_t below(Rng *r, uint64_t n) {
  return (uint64_t)(((unsigned __int128)rnd(r) * n) >> 64);
}

/* ---- static tables --------------------------------------------------------------------- */

static const char *const first_names[] = {
  "Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter" };
static const char *const last_names[] = {
  "Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris" };
static const char *const us_cities[] = {
  "Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle",
  "Kent", "Cheyenne" };
static const char *const us_states[] = { "AZ", "CA", "ID", "OR", "WA", "WY" };
static const char *const hot_channels[NX_NUM_HOT_CHANNELS] = {
  "Google", "Facebook", "Baidu", "Apple" };

#define NFIRST (sizeof first_names / sizeof first_names[0])
#define NLAST (sizeof last_names / sizeof last_names[0])
#define NCITIES (sizeof us_cities / sizeof us_cities[0])
#define NSTATES (sizeof us_states / sizeof us_states[0])
#define PRICE_BITS 8                       /* price table: 2^8 steps over six decades */
#define NCHAN (NX_NUM_CHANNELS + NX_NUM_HOT_CHANNELS)
#define CHAN_SLOT 96                       /* bytes per channel in t_chan: name, then URL */
#define CHAN_URL_AT 16                     /* the URL's offset in its slot */

static NxStr t_names[NFIRST * NLAST];      /* "First Last", first-name major */
static NxStr t_cities[NCITIES];
static NxStr t_states[NSTATES];
/* Channel k (k < 10000: "channel-k", then the hot ones) has a slot of CHAN_SLOT bytes in
** t_chan: its name at 0 and its URL at CHAN_URL_AT. Only the lengths are looked up (a 20 KB
** table), so a bid touches no channel text. */
static char *t_chan;
static uint8_t t_chan_len[NCHAN][2];       /* name length, URL length */
static double t_price[(1 << PRICE_BITS) + 1];  /* 100 * 10^(6 j / 2^PRICE_BITS) */
static char t_word_space[256];             /* byte -> ' ' (20 of 256) or a..z (9 or 10 each) */
static char t_word_under[256];             /* the same with '_' for ' ' (URL parts) */
static char *t_text;                       /* the bytes of all table strings */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/* ---- random pieces --------------------------------------------------------------------- */

/* A word string of 3 + below(maxlen - 3) characters, one random byte b each: ' ' (or '_')
** when b < 20 (probability 20/256, about 1/13), else the letter 'a' + (b - 20) * 26 / 236.
** Spaces at either end are then trimmed (so the string may be empty). Written at p (up to 7
** bytes of slack past the untrimmed length); returns the end of the untrimmed characters. */
static char *words(Rng *r, char *p, uint32_t maxlen, const char *alphabet, NxStr *out) {
  uint32_t len = 3 + (uint32_t)below(r, maxlen - 3);
  for (uint32_t i = 0; i < len; i += 8) {
    uint64_t x = rnd(r);
    for (int k = 0; k < 8; k++, x >>= 8) p[i + k] = alphabet[x & 0xff];
  }
  const char *s = p;
  uint32_t n = len;
  while (n && s[0] == ' ') s++, n--;
  while (n && s[n - 1] == ' ') n--;
  out->ptr = s;
  out->len = n;
  return p + len;
}

/* Uniform in [0, n) from 32 random bits x (the low half of a word is used unless shifted
** first): several small draws share one random word. Bias below n / 2^32. */
static inline uint64_t below32(uint64_t x, uint64_t n) {
  return ((x & 0xFFFFFFFFull) * n) >> 32;
}

/* cond ? a : b without a branch: the conditions are coin flips, which a branch predictor
** cannot learn. */
static inline int64_t pick(uint64_t cond, int64_t a, int64_t b) {
  int64_t m = -(int64_t)(cond != 0);
  return (a & m) | (b & ~m);
}

/* len letters a..z at p. The letters have their own, faster stream (Wang Yi's wyrand: a Weyl
** sequence through one 64x64->128 multiply, folded), seeded with one draw of the event's
** generator. Each byte b of a random word becomes 'a' + (b * 26 >> 8). Sixteen letters per
** step: two words as eight 16-bit lanes (gcc vector extensions, SSE2 on x86-64); in a lane,
** the low byte L gives (L * 26) >> 8 and the high byte H gives (H * 26) & 0xFF00, i.e. its
** letter already shifted into the high byte. Writes whole steps: up to 15 bytes of slack. */
typedef uint16_t V8u16 __attribute__((vector_size(16)));
typedef uint64_t V2u64 __attribute__((vector_size(16)));

static inline uint64_t wyrand(uint64_t *s) {
  *s += 0xA0761D6478BD642Full;
  unsigned __int128 t = (unsigned __int128)*s * (*s ^ 0xE7037ED1A0B428DBull);
  return (uint64_t)(t >> 64) ^ (uint64_t)t;
}

static void letters(uint64_t seed, char *p, int64_t len) {
  uint64_t s = seed;
  for (int64_t i = 0; i < len; i += 16) {
    uint64_t w0 = wyrand(&s), w1 = wyrand(&s);
    V2u64 pair = { w0, w1 };
    V8u16 v = (V8u16)pair;
    V8u16 out = ((((v & 0x00FF) * 26) >> 8) | (((v >> 8) * 26) & 0xFF00)) + 0x6161;
    memcpy(p + i, &out, 16);
  }
}

/* Filler so that current_size + its length averages desired_avg: nothing when current_size
** is already larger, else a length uniform in [d - delta, d + delta) with d = desired_avg -
** current_size and delta = round(d / 5), taken from the 32 random bits x; the letters come
** from seed. Returns the end of the letters. */
static inline char *extra(uint64_t x, uint64_t seed, char *p, int64_t current_size,
                          int64_t desired_avg, NxStr *out) {
  out->ptr = p;
  out->len = 0;
  if (current_size > desired_avg) return p;
  int64_t d = desired_avg - current_size;
  int64_t delta = (d + 2) / 5;                 /* d / 5 is never exactly half-way */
  int64_t len = d - delta + (int64_t)below32(x, (uint64_t)(2 * delta));
  letters(seed, p, len);
  out->len = len;
  return p + len;
}

/* A price from the random word x: round(100 * 10^(6u)) for u = the top 53 bits of x as a
** fraction in [0, 1), i.e. log-uniform in [100, 10^8).
** 10^(6u) is the table entry for the top 8 bits of u times a degree-4 series for the rest
** (relative error below 4e-9: the specification is this computation, not exact rounding). */
static inline int64_t price(uint64_t w) {
  uint64_t u = w >> 11;                                        /* 53 bits */
  uint64_t j = u >> (53 - PRICE_BITS);
  double f = (double)(u & ((1ull << (53 - PRICE_BITS)) - 1)) * (1.0 / (double)(1ull << (53 - PRICE_BITS)));
  double x = f * (6.0 * 2.302585092994045684 / (double)(1 << PRICE_BITS));   /* f * step * ln 10 */
  double m = 1.0 + x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0))));
  return (int64_t)(t_price[j] * m + 0.5);
}

/* A random person (base 0) among the active ones, or up to NX_PERSON_ID_LEAD ahead, from the
** 32 random bits x; last = last_person(). */
static inline int64_t next_person(const NxConfig *c, uint64_t x, int64_t last) {
  int64_t num = last + 1;
  int64_t active = num < (int64_t)c->num_active_people ? num : (int64_t)c->num_active_people;
  return num - active + (int64_t)below32(x, (uint64_t)(active + NX_PERSON_ID_LEAD));
}

/* A random auction (base 0) among the last num_inflight_auctions, or up to
** NX_AUCTION_ID_LEAD ahead, from the 32 random bits x; last = last_auction(). */
static inline int64_t next_auction(const NxConfig *c, uint64_t x, int64_t last) {
  int64_t min = last - (int64_t)c->num_inflight_auctions;
  if (min < 0) min = 0;
  return min + (int64_t)below32(x, (uint64_t)(last - min + 1 + NX_AUCTION_ID_LEAD));
}

/* ---- building the tables ---------------------------------------------------------------- */

static char *put(char **at, const char *s, size_t n) {
  char *p = *at;
  memcpy(p, s, n);
  *at += n;
  return p;
}

/* The URL of channel k (hot channels are k >= NX_NUM_CHANNELS): three 3-4 character word
** parts with '_' for spaces, from a generator seeded with k alone, and for 9 in 10 ordinary
** channels a "&channel_id=k" suffix. So it depends on nothing but k. */
static NxStr channel_url(uint32_t k, char **at) {
  Rng r = { 0x6E65786D61726B00ull ^ ((uint64_t)k * 0xD6E8FEB86659FD93ull) };
  char part[16];
  NxStr w;
  char *start = put(at, "https://www.nexmark.com", 23);
  for (int i = 0; i < 3; i++) {
    words(&r, part, 5, t_word_under, &w);
    put(at, "/", 1);
    put(at, w.ptr, (size_t)w.len);
  }
  put(at, "/item.htm?query=1", 17);
  if (k < NX_NUM_CHANNELS && below(&r, 10) > 0)
    *at += (size_t)sprintf(*at, "&channel_id=%u", (unsigned)k);
  NxStr s = { start, *at - start };
  return s;
}

/* 10^(6 j / 2^PRICE_BITS) without libm: 10^k for the whole decades (exact in a double) times
** the Taylor series of e^(f ln 10) for the fraction f (40 terms: the last is below 1e-30). */
static double pow10_exact(int j) {
  int k = 6 * j >> PRICE_BITS;
  double f = (double)(6 * j - (k << PRICE_BITS)) / (double)(1 << PRICE_BITS);
  double x = f * 2.302585092994045684, term = 1.0, sum = 1.0, dec = 1.0;
  for (int n = 1; n <= 40; n++) {
    term = term * x / n;
    sum += term;
  }
  while (k-- > 0) dec *= 10.0;
  return dec * sum;
}

static void build_tables(void) {
  for (int v = 0; v < 256; v++) {
    t_word_space[v] = v < 20 ? ' ' : (char)('a' + (v - 20) * 26 / 236);
    t_word_under[v] = v < 20 ? '_' : (char)('a' + (v - 20) * 26 / 236);
  }
  for (int j = 0; j <= 1 << PRICE_BITS; j++) t_price[j] = 100.0 * pow10_exact(j);
  /* names 99 * <= 14, cities/states < 128 */
  size_t cap = NFIRST * NLAST * 16 + 256;
  t_text = malloc(cap);
  t_chan = malloc((size_t)NCHAN * CHAN_SLOT);
  if (!t_text || !t_chan) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  char *at = t_text;
  for (size_t i = 0; i < NFIRST; i++)
    for (size_t k = 0; k < NLAST; k++) {
      NxStr *s = &t_names[i * NLAST + k];
      s->ptr = at;
      put(&at, first_names[i], strlen(first_names[i]));
      put(&at, " ", 1);
      put(&at, last_names[k], strlen(last_names[k]));
      s->len = at - s->ptr;
    }
  for (size_t i = 0; i < NCITIES; i++) {
    t_cities[i].len = (int64_t)strlen(us_cities[i]);
    t_cities[i].ptr = put(&at, us_cities[i], (size_t)t_cities[i].len);
  }
  for (size_t i = 0; i < NSTATES; i++) {
    t_states[i].len = (int64_t)strlen(us_states[i]);
    t_states[i].ptr = put(&at, us_states[i], (size_t)t_states[i].len);
  }
  if ((size_t)(at - t_text) > cap) abort();
  for (uint32_t k = 0; k < NCHAN; k++) {
    char *slot = t_chan + (size_t)k * CHAN_SLOT, *u = slot + CHAN_URL_AT;
    int n = k < NX_NUM_CHANNELS ? sprintf(slot, "channel-%u", (unsigned)k)
                                : sprintf(slot, "%s", hot_channels[k - NX_NUM_CHANNELS]);
    NxStr url = channel_url(k, &u);           /* at most 23 + 15 + 17 + 16 bytes */
    if (n >= CHAN_URL_AT || url.len >= CHAN_SLOT - CHAN_URL_AT) abort();
    t_chan_len[k][0] = (uint8_t)n;
    t_chan_len[k][1] = (uint8_t)url.len;
  }
}

/* ---- configuration ------------------------------------------------------------------------ */

void nx_config_init(NxConfig *c, int64_t base_time_ns, int64_t inter_event_ns) {
  pthread_once(&tables_once, build_tables);
  memset(c, 0, sizeof *c);
  c->base_time_ns = base_time_ns;
  c->inter_event_ns = inter_event_ns < 1 ? 1 : inter_event_ns;
  c->person_proportion = 1;
  c->auction_proportion = 3;
  c->bid_proportion = 46;
  c->hot_auction_ratio = 2;
  c->hot_sellers_ratio = 4;
  c->hot_bidders_ratio = 4;
  c->num_inflight_auctions = 100;
  c->num_active_people = 1000;
  c->avg_person_bytes = 200;
  c->avg_auction_bytes = 500;
  c->avg_bid_bytes = 100;
  c->out_of_order_group = 1;
  c->seed = 0;
  char err[128];
  nx_config_prepare(c, err, sizeof err);      /* the standard values always pass */
}

int nx_config_prepare(NxConfig *c, char *err, size_t errlen) {
  const char *why = NULL;
  uint64_t total = (uint64_t)c->person_proportion + c->auction_proportion + c->bid_proportion;
  if (c->person_proportion < 1 || c->auction_proportion < 1)
    why = "person and auction proportions must be at least 1";
  else if (total > 1000000)
    why = "the proportions add up to more than 1000000";
  else if (c->hot_auction_ratio < 1 || c->hot_sellers_ratio < 1 || c->hot_bidders_ratio < 1)
    why = "hot ratios must be at least 1";
  else if (c->inter_event_ns < 1)
    why = "the inter-event delay must be at least 1 ns";
  else if (c->out_of_order_group < 1)
    why = "the out-of-order group size must be at least 1";
  else if (c->avg_person_bytes > 1 << 20 || c->avg_auction_bytes > 1 << 20 ||
           c->avg_bid_bytes > 1 << 20)
    why = "average event sizes are limited to 1 MiB";
  if (why) { snprintf(err, errlen, "%s", why); return -1; }
  pthread_once(&tables_once, build_tables);
  c->total = total;
  c->total_magic = UINT64_MAX / total;
  return 0;
}

size_t nx_max_event_bytes(const NxConfig *c) {
  size_t avg = c->avg_person_bytes;
  if (c->avg_auction_bytes > avg) avg = c->avg_auction_bytes;
  if (c->avg_bid_bytes > avg) avg = c->avg_bid_bytes;
  /* before the filler: item name 19 + description 99 (+ 7 slack), or email 6 + 1 + 4 + 4
  ** (+ 7 slack) and credit card 19 + 1; the filler: under 6/5 of the average + 1, + 15 slack */
  return (256 + avg + avg / 5 + 32) & ~(size_t)7;
}

/* ---- events -------------------------------------------------------------------------------- */

/* Each event draws a fixed number of words from its generator, in the order below, and uses
** fixed bit fields of them (docs/nexmark.md, "Random fields"): a choice that is not taken
** still consumes its bits, so every branch is a select and every event of a kind uses its
** generator the same way. */

static char *gen_person(const NxConfig *c, Rng *r, Pos pos, NxPerson *p, char *buf) {
  int64_t last = last_person(c, pos);
  p->id = last + NX_FIRST_PERSON_ID;
  uint64_t x = rnd(r);                        /* name | city */
  uint64_t y = rnd(r);                        /* state | extra length */
  p->name = t_names[below32(x, NFIRST * NLAST)];
  p->city = t_cities[below32(x >> 32, NCITIES)];
  p->state = t_states[below32(y, NSTATES)];
  /* email: word(7) "@" word(5) ".com", each word trimmed on its own, laid out contiguously */
  NxStr user, host;
  char *q = words(r, buf, 7, t_word_space, &user);
  char *at = (char *)user.ptr + user.len;
  *at = '@';
  char *q2 = words(r, at + 1, 5, t_word_space, &host);
  memmove(at + 1, host.ptr, (size_t)host.len);
  memcpy(at + 1 + host.len, ".com", 4);
  p->email_address.ptr = user.ptr;
  p->email_address.len = user.len + 1 + host.len + 4;
  if (q2 > q) q = q2;
  if (at + 1 + host.len + 4 > q) q = at + 1 + host.len + 4;
  /* credit card: four groups of four digits, two groups per word */
  char *cc = q;
  for (int g = 0; g < 4; g += 2) {
    uint64_t w = rnd(r);
    uint32_t v[2] = { (uint32_t)below32(w, 10000), (uint32_t)below32(w >> 32, 10000) };
    for (int h = 0; h < 2; h++) {
      char *d = cc + (g + h) * 5;
      d[0] = (char)('0' + v[h] / 1000);
      d[1] = (char)('0' + v[h] / 100 % 10);
      d[2] = (char)('0' + v[h] / 10 % 10);
      d[3] = (char)('0' + v[h] % 10);
      d[4] = ' ';
    }
  }
  p->credit_card.ptr = cc;
  p->credit_card.len = 19;
  q = cc + 19;
  int64_t size = 8 + p->name.len + p->email_address.len + p->credit_card.len + p->city.len +
                 p->state.len;
  return extra(y >> 32, rnd(r), q, size, c->avg_person_bytes, &p->extra);
}

static char *gen_auction(const NxConfig *c, Rng *r, Pos pos, int64_t ts, NxAuction *a,
                         char *buf) {
  int64_t last_a = last_auction(c, pos), last_p = last_person(c, pos);
  a->id = last_a + NX_FIRST_AUCTION_ID;
  uint64_t x = rnd(r);                        /* hot seller? | random seller */
  int64_t hot = last_p / NX_HOT_SELLER_GROUP * NX_HOT_SELLER_GROUP;
  int64_t other = next_person(c, x >> 32, last_p);
  a->seller = pick(below32(x, c->hot_sellers_ratio) > 0, hot, other) + NX_FIRST_PERSON_ID;
  uint64_t y = rnd(r);                        /* category | extra length */
  a->category = NX_FIRST_CATEGORY_ID + (int64_t)below32(y, NX_NUM_CATEGORIES);
  a->initial_bid = price(rnd(r));
  a->reserve = a->initial_bid + price(rnd(r));
  /* expires: up to twice the event time until num_inflight_auctions more auctions exist */
  int64_t events_ahead = (int64_t)(c->num_inflight_auctions * c->total / c->auction_proportion);
  int64_t horizon = events_ahead * c->inter_event_ns;
  a->datetime = ts;
  a->expires = ts + 1 + (int64_t)below(r, (uint64_t)(horizon * 2 > 1 ? horizon * 2 : 1));
  char *q = words(r, buf, 20, t_word_space, &a->item_name);
  q = words(r, q, 100, t_word_space, &a->description);
  int64_t size = 8 + a->item_name.len + a->description.len + 8 + 8 + 8 + 8 + 8;
  return extra(y >> 32, rnd(r), q, size, c->avg_auction_bytes, &a->extra);
}

static char *gen_bid(const NxConfig *c, Rng *r, Pos pos, NxBid *b, char *buf) {
  int64_t last_a = last_auction(c, pos), last_p = last_person(c, pos);
  uint64_t x = rnd(r);                        /* hot auction? | random auction */
  int64_t hot_a = last_a / NX_HOT_AUCTION_GROUP * NX_HOT_AUCTION_GROUP;
  int64_t other_a = next_auction(c, x >> 32, last_a);
  b->auction = pick(below32(x, c->hot_auction_ratio) > 0, hot_a, other_a) + NX_FIRST_AUCTION_ID;
  uint64_t y = rnd(r);                        /* hot bidder? | random bidder */
  /* a hot bidder is the second person of the group, so hot bidders are not hot sellers */
  int64_t hot_p = last_p / NX_HOT_BIDDER_GROUP * NX_HOT_BIDDER_GROUP + 1;
  int64_t other_p = next_person(c, y >> 32, last_p);
  b->bidder = pick(below32(y, c->hot_bidders_ratio) > 0, hot_p, other_p) + NX_FIRST_PERSON_ID;
  b->price = price(rnd(r));
  uint64_t z = rnd(r);                        /* bit 0: hot channel? | 1-2: which | channel | extra length */
  uint32_t k = (uint32_t)pick(z & 1, NX_NUM_CHANNELS + ((z >> 1) & 3),
                              below32(z >> 3, NX_NUM_CHANNELS));
  const char *slot = t_chan + (size_t)k * CHAN_SLOT;
  b->channel.ptr = slot;
  b->channel.len = t_chan_len[k][0];
  b->url.ptr = slot + CHAN_URL_AT;
  b->url.len = t_chan_len[k][1];
  return extra(z >> 35 << 3, rnd(r), buf, 8 + 8 + 8 + 8, c->avg_bid_bytes, &b->extra);
}

size_t nx_event(const NxConfig *c, uint64_t n, NxEvent *ev, char *buf) {
  uint64_t id = nx_event_id(c, n);
  int64_t ts = time_of_id(c, id);
  Pos pos = pos_of(c, id);
  Rng r = { id ^ (c->seed * 0xD1B54A32D192ED03ull) };
  char *end;
  ev->id = id;
  ev->ts = ts;
  ev->kind = kind_at(c, pos);
  switch (ev->kind) {
  case NX_PERSON:
    end = gen_person(c, &r, pos, &ev->u.person, buf);
    ev->u.person.datetime = ts;
    break;
  case NX_AUCTION:
    end = gen_auction(c, &r, pos, ts, &ev->u.auction, buf);
    break;
  default:
    end = gen_bid(c, &r, pos, &ev->u.bid, buf);
    ev->u.bid.datetime = ts;
    break;
  }
  return (size_t)(end - buf);
}
