/*
** runtime/s3.c: the S3 backend of the checkpoint store (CkStore, ckpt_store.c), and the
** hashing and signing it needs.
**
** Entry points: s3_open / s3_put / s3_get / s3_list / s3_delete / s3_close (called by the
** ck_* functions only), s3_sign_v4 and the SHA-256 / HMAC-SHA256 functions (also used by the
** unit tests, which check them against FIPS 180-4, RFC 4231 and AWS's published SigV4
** examples). Declarations and contracts: the "checkpoint storage" section of runtime.h.
**
** Requests. Every request is one libcurl easy transfer, signed with AWS Signature Version 4
** (header form): the signed headers are host, x-amz-content-sha256 (hex SHA-256 of the body,
** always computed: some servers insist on the header and AWS checks it), x-amz-date and, with
** temporary credentials, x-amz-security-token. With an endpoint (AWS_ENDPOINT_URL[_S3]) the
** request is path-style (http://host:port/bucket/key), which every S3-compatible server
** accepts; without one it goes to AWS in virtual-hosted style
** (https://bucket.s3.region.amazonaws.com/key), or path-style for bucket names with dots
** (which the TLS wildcard certificate does not cover). Object keys are prefix + name, and
** the canonical URI is the key URI-encoded once, '/' kept (S3 does not normalize paths).
**
** Retries. A transport error (connect, timeout, reset), a 5xx or a 429 is retried up to
** S3_ATTEMPTS times in all, with exponential backoff from 100 ms, re-signing each time (the
** date moves). Anything else is final: the message names the object URL, the method, the HTTP
** status and the S3 error code and message from the XML body.
**
** Threads. A client is shared by the worker's threads: curl easy handles are taken from a
** small mutex-protected pool (keeping their connections alive between requests) and each
** transfer runs on the calling thread's handle only.
**
** Not here: multipart upload (objects are written in one PUT; S3 allows 5 GB), multi-object
** delete (cleanup deletes one object per request), credentials from files or instance
** metadata (environment variables only), HEAD requests.
*/
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>
#include "runtime.h"

/* ---- SHA-256 (FIPS 180-4) ------------------------------------------------------------- */

static const uint32_t K256[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/* One 64-byte block into the chaining state. */
static void sha256_block(uint32_t h[8], const uint8_t *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = k + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + ((e & f) ^ (~e & g)) +
                  K256[i] + w[i];
    uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

void ck_sha256_init(CkSha256 *c) {
  static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
  memcpy(c->h, iv, sizeof iv);
  c->len = 0;
  c->nbuf = 0;
}

void ck_sha256_update(CkSha256 *c, const void *data, size_t n) {
  const uint8_t *p = data;
  c->len += n;
  if (c->nbuf) {
    size_t k = 64 - c->nbuf < n ? 64 - c->nbuf : n;
    memcpy(c->buf + c->nbuf, p, k);
    c->nbuf += k; p += k; n -= k;
    if (c->nbuf < 64) return;
    sha256_block(c->h, c->buf);
    c->nbuf = 0;
  }
  for (; n >= 64; p += 64, n -= 64) sha256_block(c->h, p);
  memcpy(c->buf, p, n);
  c->nbuf = n;
}

void ck_sha256_final(CkSha256 *c, uint8_t out[32]) {
  uint64_t bits = c->len * 8;
  uint8_t pad[72] = { 0x80 };
  size_t padlen = (c->nbuf < 56 ? 56 : 120) - c->nbuf;   /* to 56 mod 64 */
  for (int i = 0; i < 8; i++) pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
  ck_sha256_update(c, pad, padlen + 8);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(c->h[i] >> 24); out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(c->h[i] >> 8); out[4 * i + 3] = (uint8_t)c->h[i];
  }
}

void ck_sha256(const void *p, size_t n, uint8_t out[32]) {
  CkSha256 c;
  ck_sha256_init(&c);
  ck_sha256_update(&c, p, n);
  ck_sha256_final(&c, out);
}

/* ---- HMAC-SHA256 (RFC 2104) ----------------------------------------------------------- */

void ck_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n, uint8_t out[32]) {
  uint8_t k[64] = { 0 }, pad[64], inner[32];
  if (keylen > 64) ck_sha256(key, keylen, k);
  else memcpy(k, key, keylen);
  CkSha256 c;
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
  ck_sha256_init(&c);
  ck_sha256_update(&c, pad, 64);
  ck_sha256_update(&c, msg, n);
  ck_sha256_final(&c, inner);
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
  ck_sha256_init(&c);
  ck_sha256_update(&c, pad, 64);
  ck_sha256_update(&c, inner, 32);
  ck_sha256_final(&c, out);
}

void ck_hex(const uint8_t *p, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 15];
  }
  out[2 * n] = 0;
}

/* ---- Signature Version 4 ---------------------------------------------------------------
** Canonical request = method \n canonical URI \n canonical query \n canonical headers \n
** signed headers \n payload hash, where the query is sorted by encoded name (then value) and
** every name and value is RFC 3986-encoded; headers are lowercased, sorted, their values
** trimmed with inner runs of spaces collapsed, each line "name:value\n". The string to sign is
** "AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex SHA-256 of the canonical request>", signed with the
** key derived as HMAC chains over "AWS4"+secret, the date, region, service and "aws4_request".
*/

void s3_uri_encode(Buf *out, const char *s, size_t n, int keep_slash) {
  static const char digits[] = "0123456789ABCDEF";
  buf_reserve(out, n * 3);
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~' || (keep_slash && ch == '/')) {
      out->p[out->len++] = (char)ch;
    } else {
      out->p[out->len++] = '%';
      out->p[out->len++] = digits[ch >> 4];
      out->p[out->len++] = digits[ch & 15];
    }
  }
}

typedef struct Kv { char *k; char *v; } Kv;   /* encoded/lowercased name and value */

static int kv_cmp(const void *a, const void *b) {
  const Kv *x = a, *y = b;
  int c = strcmp(x->k, y->k);
  return c ? c : strcmp(x->v, y->v);
}

static char *dup_buf(Buf *b) {
  char *s = malloc(b->len + 1);
  if (!s) abort();
  memcpy(s, b->p ? b->p : "", b->len);
  s[b->len] = 0;
  return s;
}

void s3_sign_v4(const S3SignInput *in, Buf *authorization, Buf *query, Buf *creq_out,
                Buf *sts_out) {
  Buf tmp = { 0 }, creq = { 0 }, sts = { 0 }, qs = { 0 }, signed_names = { 0 };
  int nq = in->nquery, nh = in->nheaders;
  Kv *q = calloc((size_t)(nq > 0 ? nq : 1), sizeof *q);
  Kv *h = calloc((size_t)(nh > 0 ? nh : 1), sizeof *h);
  if (!q || !h) abort();

  for (int i = 0; i < nq; i++) {
    tmp.len = 0;
    s3_uri_encode(&tmp, in->query[i].name, strlen(in->query[i].name), 0);
    q[i].k = dup_buf(&tmp);
    tmp.len = 0;
    const char *v = in->query[i].value ? in->query[i].value : "";
    s3_uri_encode(&tmp, v, strlen(v), 0);
    q[i].v = dup_buf(&tmp);
  }
  qsort(q, (size_t)nq, sizeof *q, kv_cmp);
  for (int i = 0; i < nq; i++) buf_printf(&qs, "%s%s=%s", i ? "&" : "", q[i].k, q[i].v);

  for (int i = 0; i < nh; i++) {
    tmp.len = 0;
    for (const char *s = in->headers[i].name; *s; s++) buf_putc(&tmp, (char)tolower((unsigned char)*s));
    h[i].k = dup_buf(&tmp);
    tmp.len = 0;
    const char *s = in->headers[i].value ? in->headers[i].value : "";
    while (*s == ' ' || *s == '\t') s++;
    for (; *s; s++) {
      char ch = *s == '\t' ? ' ' : *s;
      if (ch == ' ' && (tmp.len == 0 || tmp.p[tmp.len - 1] == ' ')) continue;
      buf_putc(&tmp, ch);
    }
    while (tmp.len && tmp.p[tmp.len - 1] == ' ') tmp.len--;
    h[i].v = dup_buf(&tmp);
  }
  qsort(h, (size_t)nh, sizeof *h, kv_cmp);
  for (int i = 0; i < nh; i++) buf_printf(&signed_names, "%s%s", i ? ";" : "", h[i].k);

  buf_printf(&creq, "%s\n%s\n%.*s\n", in->method, in->path, (int)qs.len, qs.p ? qs.p : "");
  for (int i = 0; i < nh; i++) buf_printf(&creq, "%s:%s\n", h[i].k, h[i].v);
  buf_printf(&creq, "\n%.*s\n%s", (int)signed_names.len, signed_names.p, in->payload_hash);

  uint8_t dig[32];
  char hex[65], date[9];
  ck_sha256(creq.p, creq.len, dig);
  ck_hex(dig, 32, hex);
  memcpy(date, in->amz_date, 8);
  date[8] = 0;
  buf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", in->amz_date, date,
             in->region, in->service, hex);

  uint8_t k[32];
  tmp.len = 0;
  buf_printf(&tmp, "AWS4%s", in->secret);
  ck_hmac_sha256(tmp.p, tmp.len, date, 8, k);
  ck_hmac_sha256(k, 32, in->region, strlen(in->region), k);
  ck_hmac_sha256(k, 32, in->service, strlen(in->service), k);
  ck_hmac_sha256(k, 32, "aws4_request", 12, k);
  ck_hmac_sha256(k, 32, sts.p, sts.len, dig);
  ck_hex(dig, 32, hex);

  if (authorization)
    buf_printf(authorization,
               "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%.*s, "
               "Signature=%s", in->key_id, date, in->region, in->service,
               (int)signed_names.len, signed_names.p, hex);
  if (query && qs.len) buf_put(query, qs.p, qs.len);
  if (creq_out) buf_put(creq_out, creq.p, creq.len);
  if (sts_out) buf_put(sts_out, sts.p, sts.len);

  for (int i = 0; i < nq; i++) { free(q[i].k); free(q[i].v); }
  for (int i = 0; i < nh; i++) { free(h[i].k); free(h[i].v); }
  free(q);
  free(h);
  /* the derived key is a secret: do not leave it in freed memory */
  memset(k, 0, sizeof k);
  if (tmp.p) memset(tmp.p, 0, tmp.cap);
  buf_free(&tmp); buf_free(&creq); buf_free(&sts); buf_free(&qs); buf_free(&signed_names);
}

/* ---- XML: just enough to read ListObjectsV2 results and error bodies ------------------- */

/* Append the text between the n-th..(from *pos) "<tag>" and "</tag>" to out, decoding the
** five predefined entities and numeric character references. Returns 1 and advances *pos past
** the close tag, or 0 if there is none. */
static int xml_next(const char *doc, size_t len, size_t *pos, const char *tag, Buf *out) {
  char open[64], close[64];
  snprintf(open, sizeof open, "<%s>", tag);
  snprintf(close, sizeof close, "</%s>", tag);
  const char *end = doc + len;
  const char *a = memmem(doc + *pos, len - *pos, open, strlen(open));
  if (!a) return 0;
  a += strlen(open);
  const char *b = memmem(a, (size_t)(end - a), close, strlen(close));
  if (!b) return 0;
  for (const char *s = a; s < b; s++) {
    if (*s != '&') { buf_putc(out, *s); continue; }
    const char *semi = memchr(s, ';', (size_t)(b - s));
    if (!semi) { buf_putc(out, *s); continue; }
    size_t n = (size_t)(semi - s - 1);
    const char *e = s + 1;
    unsigned long cp = 0;
    if (n == 3 && !memcmp(e, "amp", 3)) buf_putc(out, '&');
    else if (n == 2 && !memcmp(e, "lt", 2)) buf_putc(out, '<');
    else if (n == 2 && !memcmp(e, "gt", 2)) buf_putc(out, '>');
    else if (n == 4 && !memcmp(e, "quot", 4)) buf_putc(out, '"');
    else if (n == 4 && !memcmp(e, "apos", 4)) buf_putc(out, '\'');
    else if (n >= 2 && e[0] == '#') {
      cp = (e[1] == 'x' || e[1] == 'X') ? strtoul(e + 2, NULL, 16) : strtoul(e + 1, NULL, 10);
      if (cp < 0x80) buf_putc(out, (char)cp);
      else if (cp < 0x800) { buf_putc(out, (char)(0xc0 | cp >> 6)); buf_putc(out, (char)(0x80 | (cp & 0x3f))); }
      else if (cp < 0x10000) {
        buf_putc(out, (char)(0xe0 | cp >> 12)); buf_putc(out, (char)(0x80 | ((cp >> 6) & 0x3f)));
        buf_putc(out, (char)(0x80 | (cp & 0x3f)));
      } else {
        buf_putc(out, (char)(0xf0 | cp >> 18)); buf_putc(out, (char)(0x80 | ((cp >> 12) & 0x3f)));
        buf_putc(out, (char)(0x80 | ((cp >> 6) & 0x3f))); buf_putc(out, (char)(0x80 | (cp & 0x3f)));
      }
    } else { buf_put(out, s, n + 2); }
    s = semi;
  }
  *pos = (size_t)(b - doc) + strlen(close);
  return 1;
}

/* ---- client ----------------------------------------------------------------------------- */

#define S3_ATTEMPTS 5          /* tries per request (transport errors, 5xx, 429) */
#define S3_POOL 8              /* idle curl handles kept */

struct S3Client {
  char *url;                   /* "s3://bucket[/prefix]", for messages */
  char *bucket;                /* bucket name */
  char *prefix;                /* "" or "dir/sub/" (ends with '/'): prepended to names */
  char *base;                  /* "scheme://host[:port]" requests go to */
  char *host;                  /* Host header (signed) */
  int path_style;              /* 1: /bucket/key; 0: bucket is in the host name */
  char *region;                /* signing region */
  char *key_id;                /* AWS_ACCESS_KEY_ID */
  char *secret;                /* AWS_SECRET_ACCESS_KEY */
  char *token;                 /* AWS_SESSION_TOKEN or NULL */
  int list_page;               /* ListObjectsV2 max-keys (0: server default) */
  pthread_mutex_t mu;          /* guards idle[] */
  CURL *idle[S3_POOL];         /* handles not in use (they keep their connections) */
  int nidle;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;
static void curl_init(void) { curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

static char *xstrdup(const char *s) {
  char *d = strdup(s ? s : "");
  if (!d) abort();
  return d;
}

static const char *env(const char *name) {
  const char *v = getenv(name);
  return v && *v ? v : NULL;
}

void s3_set_list_page(S3Client *c, int max_keys) { c->list_page = max_keys > 0 ? max_keys : 0; }

void s3_close(S3Client *c) {
  if (!c) return;
  for (int i = 0; i < c->nidle; i++) curl_easy_cleanup(c->idle[i]);
  pthread_mutex_destroy(&c->mu);
  if (c->secret) memset(c->secret, 0, strlen(c->secret));
  free(c->url); free(c->bucket); free(c->prefix); free(c->base); free(c->host);
  free(c->region); free(c->key_id); free(c->secret); free(c->token);
  free(c);
}

static CURL *take_handle(S3Client *c) {
  CURL *h = NULL;
  pthread_mutex_lock(&c->mu);
  if (c->nidle) h = c->idle[--c->nidle];
  pthread_mutex_unlock(&c->mu);
  if (!h) h = curl_easy_init();
  else curl_easy_reset(h);
  return h;
}

static void give_handle(S3Client *c, CURL *h) {
  pthread_mutex_lock(&c->mu);
  if (c->nidle < S3_POOL) { c->idle[c->nidle++] = h; h = NULL; }
  pthread_mutex_unlock(&c->mu);
  if (h) curl_easy_cleanup(h);
}

typedef struct Upload { const char *p; size_t n, off; } Upload;

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg) {
  Upload *u = arg;
  size_t k = size * nmemb;
  if (k > u->n - u->off) k = u->n - u->off;
  memcpy(dst, u->p + u->off, k);
  u->off += k;
  return k;
}

static int seek_cb(void *arg, curl_off_t off, int origin) {
  Upload *u = arg;
  if (origin != SEEK_SET || off < 0 || (size_t)off > u->n) return CURL_SEEKFUNC_FAIL;
  u->off = (size_t)off;
  return CURL_SEEKFUNC_OK;
}

static size_t write_cb(char *src, size_t size, size_t nmemb, void *arg) {
  buf_put(arg, src, size * nmemb);
  return size * nmemb;
}

/* One request. */
typedef struct S3Req {
  const char *method;          /* GET, PUT, DELETE */
  const char *key;             /* full object key (prefix included); NULL: the bucket */
  const S3Pair *query;         /* raw query parameters */
  int nquery;
  const void *body;            /* PUT body (borrowed) */
  size_t n;                    /* its length */
} S3Req;

/* Send r once. The response body is appended to resp. 0 with *status set when a response
** arrived (any status); -1 with errbuf (CURL_ERROR_SIZE) set on a transport error. */
static int send_once(S3Client *c, const S3Req *r, const char *payload_hash, Buf *resp,
                     long *status, char *errbuf) {
  Buf path = { 0 }, auth = { 0 }, query = { 0 }, url = { 0 }, hdr = { 0 };
  char amz_date[20];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);

  buf_putc(&path, '/');
  if (c->path_style) {
    s3_uri_encode(&path, c->bucket, strlen(c->bucket), 0);
    if (r->key) buf_putc(&path, '/');
  }
  if (r->key) s3_uri_encode(&path, r->key, strlen(r->key), 1);
  buf_cstr(&path);

  S3Pair hs[4] = { { "host", c->host }, { "x-amz-content-sha256", payload_hash },
                   { "x-amz-date", amz_date }, { "x-amz-security-token", c->token } };
  S3SignInput in = { r->method, path.p, r->query, r->nquery, hs, c->token ? 4 : 3,
                     payload_hash, amz_date, c->region, "s3", c->key_id, c->secret };
  s3_sign_v4(&in, &auth, &query, NULL, NULL);
  buf_printf(&url, "%s%s%s%.*s", c->base, path.p, query.len ? "?" : "", (int)query.len,
             query.p ? query.p : "");

  struct curl_slist *headers = NULL;
  buf_printf(&hdr, "Host: %s", c->host);
  headers = curl_slist_append(headers, buf_cstr(&hdr));
  hdr.len = 0; buf_printf(&hdr, "x-amz-content-sha256: %s", payload_hash);
  headers = curl_slist_append(headers, buf_cstr(&hdr));
  hdr.len = 0; buf_printf(&hdr, "x-amz-date: %s", amz_date);
  headers = curl_slist_append(headers, buf_cstr(&hdr));
  if (c->token) {
    hdr.len = 0; buf_printf(&hdr, "x-amz-security-token: %s", c->token);
    headers = curl_slist_append(headers, buf_cstr(&hdr));
  }
  hdr.len = 0; buf_printf(&hdr, "Authorization: %.*s", (int)auth.len, auth.p);
  headers = curl_slist_append(headers, buf_cstr(&hdr));
  headers = curl_slist_append(headers, "Expect:");    /* no 100-continue round trip */

  CURL *h = take_handle(c);
  int rc = -1;
  errbuf[0] = 0;
  if (!h || !headers) {
    snprintf(errbuf, CURL_ERROR_SIZE, "cannot set up a curl request");
    goto out;
  }
  Upload up = { r->body, r->n, 0 };
  curl_easy_setopt(h, CURLOPT_URL, buf_cstr(&url));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);    /* a stalled transfer fails ... */
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);    /* ... after a minute */
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
  if (!strcmp(r->method, "PUT")) {
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, seek_cb);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, &up);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)r->n);
  } else if (strcmp(r->method, "GET")) {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->method);
  }
  CURLcode cc = curl_easy_perform(h);
  if (cc != CURLE_OK) {
    if (!errbuf[0]) snprintf(errbuf, CURL_ERROR_SIZE, "%s", curl_easy_strerror(cc));
  } else {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    rc = 0;
  }
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
  give_handle(c, h);
out:
  curl_slist_free_all(headers);
  memset(hdr.p, 0, hdr.cap);
  buf_free(&path); buf_free(&auth); buf_free(&query); buf_free(&url); buf_free(&hdr);
  return rc;
}

static int retryable(long status) { return status >= 500 || status == 429; }

/* The object's URL for messages: s3://bucket/prefix/name (or the store's URL). */
static void what(S3Client *c, const char *name, Buf *out) {
  buf_printf(out, "s3://%s/%s%s", c->bucket, c->prefix, name ? name : "");
  if (!name && out->len && out->p[out->len - 1] == '/') out->len--;
}

/* Send r with retries. 0 with *status when a response arrived (the body of the last attempt
** is appended to resp, after truncating it back to where it started), -1 with ck_error set. */
static int s3_call(S3Client *c, const S3Req *r, const char *name, Buf *resp, long *status) {
  uint8_t dig[32];
  char payload_hash[65], errbuf[CURL_ERROR_SIZE];
  ck_sha256(r->body ? r->body : "", r->n, dig);
  ck_hex(dig, 32, payload_hash);
  size_t start = resp->len;
  long delay_ms = 100;
  for (int attempt = 1;; attempt++) {
    resp->len = start;
    *status = 0;
    int rc = send_once(c, r, payload_hash, resp, status, errbuf);
    if (rc == 0 && !retryable(*status)) return 0;
    if (attempt >= S3_ATTEMPTS) {
      if (rc == 0) return 0;
      Buf w = { 0 };
      what(c, name, &w);
      ck_set_error("%s: %s failed after %d attempts: %s (endpoint %s)", buf_cstr(&w),
                   r->method, attempt, errbuf, c->base);
      buf_free(&w);
      return -1;
    }
    struct timespec ts = { delay_ms / 1000, (delay_ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
    if (delay_ms < 2000) delay_ms *= 2;
  }
}

/* Set ck_error from an unexpected HTTP status and the S3 error body resp[start..]. */
static void http_error(S3Client *c, const char *method, const char *name, long status,
                       const Buf *resp, size_t start) {
  Buf code = { 0 }, msg = { 0 }, w = { 0 };
  size_t pos = 0;
  const char *doc = resp->p ? resp->p + start : "";
  size_t len = resp->len - start;
  xml_next(doc, len, &pos, "Code", &code);
  pos = 0;
  xml_next(doc, len, &pos, "Message", &msg);
  what(c, name, &w);
  ck_set_error("%s: %s: HTTP %ld%s%s%s%s", buf_cstr(&w), method, status, code.len ? " " : "",
               buf_cstr(&code), msg.len ? ": " : "", buf_cstr(&msg));
  buf_free(&code); buf_free(&msg); buf_free(&w);
}

static char *object_key(S3Client *c, const char *name) {
  size_t a = strlen(c->prefix), b = strlen(name);
  char *k = malloc(a + b + 1);
  if (!k) abort();
  memcpy(k, c->prefix, a);
  memcpy(k + a, name, b + 1);
  return k;
}

int s3_put(S3Client *c, const char *name, const void *data, size_t n) {
  char *key = object_key(c, name);
  Buf resp = { 0 };
  long status;
  S3Req r = { "PUT", key, NULL, 0, data, n };
  int rc = s3_call(c, &r, name, &resp, &status);
  if (rc == 0 && status != 200) { http_error(c, "PUT", name, status, &resp, 0); rc = -1; }
  buf_free(&resp);
  free(key);
  return rc;
}

int s3_get(S3Client *c, const char *name, Buf *out) {
  char *key = object_key(c, name);
  long status;
  S3Req r = { "GET", key, NULL, 0, NULL, 0 };
  out->len = 0;
  int rc = s3_call(c, &r, name, out, &status);
  if (rc == 0 && status != 200) {
    if (status == 404) {
      Buf w = { 0 };
      what(c, name, &w);
      ck_set_error("%s: no such object", buf_cstr(&w));
      buf_free(&w);
      rc = CK_ENOENT;
    } else {
      http_error(c, "GET", name, status, out, 0);
      rc = -1;
    }
    out->len = 0;
  }
  free(key);
  return rc;
}

int s3_delete(S3Client *c, const char *name) {
  char *key = object_key(c, name);
  Buf resp = { 0 };
  long status;
  S3Req r = { "DELETE", key, NULL, 0, NULL, 0 };
  int rc = s3_call(c, &r, name, &resp, &status);
  /* S3 answers 204 whether or not the key existed; some servers say 404 for a missing one */
  if (rc == 0 && status != 204 && status != 200 && status != 404) {
    http_error(c, "DELETE", name, status, &resp, 0);
    rc = -1;
  }
  buf_free(&resp);
  free(key);
  return rc;
}

/* ListObjectsV2 pages until IsTruncated is false. max_total > 0 stops after that many keys
** (s3_open's probe). Keys are returned without the client's prefix. */
static int list_keys(S3Client *c, const char *prefix, CkNames *out, int max_keys, int one_page) {
  char *full = object_key(c, prefix);
  char page[16];
  Buf resp = { 0 }, token = { 0 }, key = { 0 }, flag = { 0 };
  int rc = 0;
  size_t plen = strlen(c->prefix);
  snprintf(page, sizeof page, "%d", max_keys);
  for (;;) {
    S3Pair q[4];
    int nq = 0;
    q[nq++] = (S3Pair){ "list-type", "2" };
    q[nq++] = (S3Pair){ "prefix", full };
    if (max_keys > 0) q[nq++] = (S3Pair){ "max-keys", page };
    if (token.len) q[nq++] = (S3Pair){ "continuation-token", buf_cstr(&token) };
    S3Req r = { "GET", NULL, q, nq, NULL, 0 };
    long status;
    resp.len = 0;
    if (s3_call(c, &r, NULL, &resp, &status) < 0) { rc = -1; break; }
    if (status != 200) {
      http_error(c, "GET (ListObjectsV2)", NULL, status, &resp, 0);
      rc = -1;
      break;
    }
    size_t pos = 0;
    for (;;) {
      key.len = 0;
      if (!xml_next(resp.p, resp.len, &pos, "Key", &key)) break;
      if (key.len >= plen && !memcmp(key.p, c->prefix, plen))
        ck_names_add(out, key.p + plen, key.len - plen);
    }
    pos = 0;
    flag.len = 0;
    xml_next(resp.p, resp.len, &pos, "IsTruncated", &flag);
    if (one_page || !(flag.len == 4 && !memcmp(flag.p, "true", 4))) break;
    pos = 0;
    token.len = 0;
    if (!xml_next(resp.p, resp.len, &pos, "NextContinuationToken", &token) || !token.len) {
      Buf w = { 0 };
      what(c, NULL, &w);
      ck_set_error("%s: ListObjectsV2: truncated listing without a continuation token",
                   buf_cstr(&w));
      buf_free(&w);
      rc = -1;
      break;
    }
  }
  buf_free(&resp); buf_free(&token); buf_free(&key); buf_free(&flag);
  free(full);
  return rc;
}

int s3_list(S3Client *c, const char *prefix, CkNames *out) {
  return list_keys(c, prefix, out, c->list_page, 0);
}

S3Client *s3_open(const char *url, char *err, size_t errlen) {
  pthread_once(&curl_once, curl_init);
  if (curl_init_rc != CURLE_OK) {
    snprintf(err, errlen, "%s: cannot initialize libcurl: %s", url, curl_easy_strerror(curl_init_rc));
    return NULL;
  }
  if (strncmp(url, "s3://", 5) != 0) {
    snprintf(err, errlen, "%s: not an s3:// URL", url);
    return NULL;
  }
  const char *b = url + 5, *slash = strchr(b, '/');
  size_t blen = slash ? (size_t)(slash - b) : strlen(b);
  if (blen == 0 || blen > 255) {
    snprintf(err, errlen, "%s: expected s3://BUCKET/PREFIX", url);
    return NULL;
  }
  for (size_t i = 0; i < blen; i++)
    if (!isalnum((unsigned char)b[i]) && b[i] != '.' && b[i] != '-' && b[i] != '_') {
      snprintf(err, errlen, "%s: invalid bucket name '%.*s'", url, (int)blen, b);
      return NULL;
    }

  S3Client *c = calloc(1, sizeof *c);
  if (!c) abort();
  pthread_mutex_init(&c->mu, NULL);
  c->bucket = strndup(b, blen);
  /* prefix: without leading/trailing slashes, then one '/' at the end unless empty */
  Buf p = { 0 };
  const char *s = slash ? slash : "";
  while (*s == '/') s++;
  buf_puts(&p, s);
  while (p.len && p.p[p.len - 1] == '/') p.len--;
  c->url = NULL;
  Buf u = { 0 };
  buf_printf(&u, "s3://%s%s%.*s", c->bucket, p.len ? "/" : "", (int)p.len, p.p ? p.p : "");
  c->url = dup_buf(&u);
  buf_free(&u);
  if (p.len) buf_putc(&p, '/');
  c->prefix = dup_buf(&p);
  buf_free(&p);

  const char *region = env("AWS_REGION");
  if (!region) region = env("AWS_DEFAULT_REGION");
  if (!region) region = "us-east-1";
  c->region = xstrdup(region);
  const char *kid = env("AWS_ACCESS_KEY_ID"), *sec = env("AWS_SECRET_ACCESS_KEY");
  if (!kid || !sec) {
    snprintf(err, errlen, "%s: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set (S3 "
             "credentials are read from the environment)", c->url);
    s3_close(c);
    return NULL;
  }
  c->key_id = xstrdup(kid);
  c->secret = xstrdup(sec);
  if (env("AWS_SESSION_TOKEN")) c->token = xstrdup(env("AWS_SESSION_TOKEN"));

  const char *ep = env("AWS_ENDPOINT_URL_S3");
  if (!ep) ep = env("AWS_ENDPOINT_URL");
  Buf tmp = { 0 };
  if (ep) {
    const char *hp = strstr(ep, "://");
    if (!hp || (strncmp(ep, "http://", 7) && strncmp(ep, "https://", 8))) {
      snprintf(err, errlen, "%s: endpoint '%s' (AWS_ENDPOINT_URL): expected http://HOST[:PORT] "
               "or https://HOST[:PORT]", c->url, ep);
      s3_close(c);
      return NULL;
    }
    hp += 3;
    size_t hl = strcspn(hp, "/?#");
    const char *rest = hp + hl;
    while (*rest == '/') rest++;
    if (hl == 0 || *rest) {
      snprintf(err, errlen, "%s: endpoint '%s' (AWS_ENDPOINT_URL): expected http://HOST[:PORT] "
               "without a path", c->url, ep);
      s3_close(c);
      return NULL;
    }
    for (size_t i = 0; i < hl; i++) buf_putc(&tmp, (char)tolower((unsigned char)hp[i]));
    c->host = dup_buf(&tmp);
    c->base = strndup(ep, (size_t)(hp + hl - ep));
    c->path_style = 1;
  } else {
    if (strchr(c->bucket, '.')) {
      buf_printf(&tmp, "s3.%s.amazonaws.com", c->region);
      c->path_style = 1;
    } else {
      buf_printf(&tmp, "%s.s3.%s.amazonaws.com", c->bucket, c->region);
    }
    c->host = dup_buf(&tmp);
    tmp.len = 0;
    buf_printf(&tmp, "https://%s", c->host);
    c->base = dup_buf(&tmp);
  }
  buf_free(&tmp);

  /* probe: one key under the prefix, so bad endpoints, buckets and keys fail now */
  CkNames probe = { 0 };
  if (list_keys(c, "", &probe, 1, 1) < 0) {
    snprintf(err, errlen, "%s", ck_error());
    ck_names_free(&probe);
    s3_close(c);
    return NULL;
  }
  ck_names_free(&probe);
  return c;
}
