/*
** connectors/nexmark_gen.h: the deterministic Nexmark event generator.
**
** Event number n (0, 1, 2, ...) determines everything about event n: its kind (person,
** auction or bid), its ids and the ids it refers to, its event time, and its random fields,
** which come from a small generator seeded with the event's id. So any subset of the event
** numbers can be generated in any order, on any thread, and the same (config, n) always gives
** the same event, byte for byte. docs/nexmark.md is the specification; this header is its
** interface.
**
** Entry points: nx_config_init (the standard configuration), nx_config_check, nx_event (one
** event), and the small id/time functions the tests and the connector use.
**
** Self-contained: libc and pthread_once only (gcc or clang: it uses unsigned __int128 and
** vector extensions; not tcc). It knows nothing of the worker, rows or SQL
** (connectors/nexmark.c maps events to rows), so benchmark baselines can link it alone. The
** output is the same with any compiler flags on little-endian IEEE-754 machines.
*/
#ifndef ARROYO_NEXMARK_GEN_H
#define ARROYO_NEXMARK_GEN_H

#include <stddef.h>
#include <stdint.h>

/* ---- the standard constants (docs/nexmark.md, "Constants") ------------------------------ */
#define NX_FIRST_PERSON_ID 1000      /* person ids start here */
#define NX_FIRST_AUCTION_ID 1000     /* auction ids start here */
#define NX_FIRST_CATEGORY_ID 10      /* categories are 10..14 */
#define NX_NUM_CATEGORIES 5
#define NX_PERSON_ID_LEAD 10         /* random person ids may run this far ahead */
#define NX_AUCTION_ID_LEAD 10        /* random auction ids may run this far ahead */
#define NX_HOT_SELLER_GROUP 100      /* hot seller: first person of the last group of 100 */
#define NX_HOT_BIDDER_GROUP 100      /* hot bidder: second person of that group */
#define NX_HOT_AUCTION_GROUP 100     /* hot auction: first auction of the last group of 100 */
#define NX_NUM_CHANNELS 10000        /* "channel-0" .. "channel-9999" */
#define NX_NUM_HOT_CHANNELS 4        /* Google, Facebook, Baidu, Apple */

/* A string: pointer + length, not NUL-terminated (the same layout as RtStr). It points into
** the caller's event buffer or into the generator's static tables (names, cities, channels),
** which live until the process exits. */
typedef struct NxStr {
  const char *ptr;     /* first byte */
  int64_t len;         /* bytes */
} NxStr;

/* Event kinds; the numbers are Nexmark's event_type (0 person, 1 auction, 2 bid). */
enum { NX_PERSON = 0, NX_AUCTION = 1, NX_BID = 2 };

/* Field order and names follow Arroyo's nexmark schema. Times are ns since the epoch. */
typedef struct NxPerson {
  int64_t id;            /* NX_FIRST_PERSON_ID + person number */
  NxStr name;            /* "First Last" */
  NxStr email_address;   /* "<word>@<word>.com" */
  NxStr credit_card;     /* "dddd dddd dddd dddd" */
  NxStr city;            /* one of 10 US cities */
  NxStr state;           /* one of 6 US states */
  int64_t datetime;      /* event time */
  NxStr extra;           /* filler letters: the event's size averages avg_person_bytes */
} NxPerson;

typedef struct NxAuction {
  int64_t id;            /* NX_FIRST_AUCTION_ID + auction number */
  NxStr description;     /* 0..99 characters of words */
  NxStr item_name;       /* 0..19 characters of words */
  int64_t initial_bid;   /* a price */
  int64_t reserve;       /* initial_bid + another price */
  int64_t datetime;      /* event time */
  int64_t expires;       /* datetime + 1 .. about 2 * the time of 100 auctions later */
  int64_t seller;        /* a person id (hot or recent) */
  int64_t category;      /* 10..14 */
  NxStr extra;           /* filler */
} NxAuction;

typedef struct NxBid {
  int64_t auction;       /* an auction id (hot or recent) */
  int64_t bidder;        /* a person id (hot or recent) */
  int64_t price;         /* 100 .. 10^8, log-uniform */
  NxStr channel;         /* "Google" .. or "channel-<k>" */
  NxStr url;             /* the channel's URL (a function of the channel) */
  int64_t datetime;      /* event time */
  NxStr extra;           /* filler */
} NxBid;

typedef struct NxEvent {
  int kind;              /* NX_PERSON / NX_AUCTION / NX_BID */
  uint64_t id;           /* event id (= event number unless out_of_order_group > 1) */
  int64_t ts;            /* event time, ns (the datetime of the struct below) */
  union {
    NxPerson person;
    NxAuction auction;
    NxBid bid;
  } u;
} NxEvent;

/* The parameters of a stream. nx_config_init sets the standard values (Beam's defaults);
** the fields are public so benchmarks can vary them, then nx_config_check them. */
typedef struct NxConfig {
  int64_t base_time_ns;          /* event time of event 0 */
  int64_t inter_event_ns;        /* event time between consecutive events (>= 1) */
  uint32_t person_proportion;    /* 1  \                                        */
  uint32_t auction_proportion;   /* 3   } of every 50 consecutive event ids      */
  uint32_t bid_proportion;       /* 46 /                                        */
  uint32_t hot_auction_ratio;    /* 2: a bid is for a hot auction with p = 1 - 1/2 */
  uint32_t hot_sellers_ratio;    /* 4: an auction has a hot seller with p = 1 - 1/4 */
  uint32_t hot_bidders_ratio;    /* 4: a bid has a hot bidder with p = 1 - 1/4 */
  uint32_t num_inflight_auctions;/* 100: random auctions come from the last 100 (+ lead) */
  uint32_t num_active_people;    /* 1000: random people come from the last 1000 (+ lead) */
  uint32_t avg_person_bytes;     /* 200: target average size of a person (extra pads) */
  uint32_t avg_auction_bytes;    /* 500 */
  uint32_t avg_bid_bytes;        /* 100 */
  uint32_t out_of_order_group;   /* 1: in order; g > 1 permutes ids within groups of g */
  uint64_t seed;                 /* 0: the standard stream; else mixed into every event */
  /* derived by nx_config_prepare; never set by hand */
  uint64_t total;                /* person + auction + bid proportion */
  uint64_t total_magic;          /* UINT64_MAX / total: division by multiplication */
} NxConfig;

/* Standard configuration with the given base time and inter-event delay (ns, >= 1), already
** prepared. Also builds the static tables (once per process, thread-safe). */
void nx_config_init(NxConfig *c, int64_t base_time_ns, int64_t inter_event_ns);
/* After changing fields of an initialised config: check them and recompute the derived ones.
** 0, or -1 with a message in err (a zero proportion, a ratio of 0, ...). */
int nx_config_prepare(NxConfig *c, char *err, size_t errlen);
/* Upper bound on the bytes nx_event writes into buf for any event of c (including the slack
** of word-at-a-time writes). */
size_t nx_max_event_bytes(const NxConfig *c);

/* Generate event number n into *ev. Strings are written into buf, which must have
** nx_max_event_bytes(c) bytes; returns the bytes of buf used (the next event may start there;
** bytes past the return value may have been scribbled on). */
size_t nx_event(const NxConfig *c, uint64_t n, NxEvent *ev, char *buf);

/* ---- the integer functions of the specification ----------------------------------------- */
uint64_t nx_event_id(const NxConfig *c, uint64_t n);        /* id of event number n */
int nx_event_kind(const NxConfig *c, uint64_t id);          /* kind of the event with this id */
int64_t nx_event_time(const NxConfig *c, uint64_t n);       /* event time of event number n */
/* Base-0 number of the newest person / auction as of event id `id` (the event's own number
** when it is a person / auction). The auction number is -1 before the first auction. */
int64_t nx_last_person(const NxConfig *c, uint64_t id);
int64_t nx_last_auction(const NxConfig *c, uint64_t id);

#endif /* ARROYO_NEXMARK_GEN_H */
