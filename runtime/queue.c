/*
** runtime/queue.c: bounded blocking FIFO of tagged messages (QMsg) between worker threads.
**
** Every hand-off in the worker goes through a Queue: source threads -> pipeline thread
** (batches, end-of-stream), pipeline thread -> sink writer threads (encoded byte buffers,
** end-of-stream), and the free pools that recycle batches and buffers back to their producer.
** Messages carry a kind so later issues can send watermarks and checkpoint barriers in the
** same FIFO, in order with the data they follow.
**
** Invariants:
**   - FIFO per queue: messages pushed by one thread are popped in the order it pushed them
**     (several producers interleave, each in its own order). A barrier or end-of-stream
**     therefore always arrives after every batch its sender pushed before it.
**   - Bounded: q_push blocks while the queue holds `cap` messages. This is the worker's
**     backpressure: a slow sink stalls the pipeline thread, which stalls the sources.
**     Nothing is ever dropped.
**   - Cancellation (q_cancel, used when any thread fails) wakes every waiter; from then on
**     q_push and q_pop return -1 immediately and the queued payloads stay owned by whoever
**     allocated them (the worker frees batches and buffers from its own arrays).
**
** Cost: one mutex round trip per message. Messages are batches of thousands of rows or
** ~256 KB of output, so this is far off the per-row path. Condition variables are only
** signalled when a thread actually waits, so the uncontended path makes no futex syscall.
**
** Wake-ups with hysteresis. Waking a blocked thread costs two context switches, and when it
** is woken for every single free slot, a fast producer behind a slower consumer runs one
** message per wake-up and the two threads take turns on the CPU. So:
**   - a producer blocked in q_push (queue full) is woken only once at least half of the
**     queue is free again (it then pushes several messages in a row). This cannot strand
**     it: it blocked on a full queue, and the consumer cannot run the queue dry without
**     passing the half-free mark, where it wakes every blocked producer.
**   - a consumer blocked in q_pop (queue empty) is woken on the first push, unless the
**     queue was given a wake mark with q_set_pop_wake(q, k): then only once k messages are
**     queued. Only for free pools (batches and buffers coming back to their producer): there
**     every message not in the queue is on its way back without the waiting thread's help,
**     so the mark is always reached. Never for data queues, where a mark would hold a slow
**     source's rows back. There is no spinning: on 2 shared cores a spinning thread takes the
**     core its partner needs.
**
** It does not know what the payloads are and never frees them.
*/
#include <pthread.h>
#include <stdlib.h>
#include "runtime.h"

struct Queue {
  pthread_mutex_t mu;       /* guards everything below */
  pthread_cond_t not_empty; /* signalled on push when a consumer waits */
  pthread_cond_t not_full;  /* signalled on pop when a producer waits */
  QMsg *ring;               /* cap slots */
  size_t cap;               /* capacity in messages (>= 1) */
  size_t head;              /* index of the oldest message */
  size_t len;               /* messages queued */
  size_t push_wake;         /* wake blocked producers once this many slots are free */
  size_t pop_wake;          /* wake a blocked consumer once this many messages are queued */
  int waiting_pop;          /* consumers blocked in q_pop */
  int waiting_push;         /* producers blocked in q_push */
  int cancelled;            /* q_cancel was called: all operations fail */
};

Queue *q_new(size_t cap) {
  Queue *q = calloc(1, sizeof *q);
  if (!q) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  q->cap = cap ? cap : 1;
  q->push_wake = (q->cap + 1) / 2;
  q->pop_wake = 1;
  q->ring = calloc(q->cap, sizeof *q->ring);
  if (!q->ring) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  pthread_mutex_init(&q->mu, NULL);
  pthread_cond_init(&q->not_empty, NULL);
  pthread_cond_init(&q->not_full, NULL);
  return q;
}

/* Caller guarantees no thread still uses the queue (all joined). */
void q_free(Queue *q) {
  if (!q) return;
  pthread_mutex_destroy(&q->mu);
  pthread_cond_destroy(&q->not_empty);
  pthread_cond_destroy(&q->not_full);
  free(q->ring);
  free(q);
}

int q_push(Queue *q, const QMsg *m) {
  pthread_mutex_lock(&q->mu);
  while (q->len == q->cap && !q->cancelled) {
    q->waiting_push++;
    pthread_cond_wait(&q->not_full, &q->mu);
    q->waiting_push--;
  }
  if (q->cancelled) { pthread_mutex_unlock(&q->mu); return -1; }
  q->ring[(q->head + q->len) % q->cap] = *m;
  q->len++;
  if (q->waiting_pop && q->len >= q->pop_wake) pthread_cond_signal(&q->not_empty);
  pthread_mutex_unlock(&q->mu);
  return 0;
}

/* Pop the oldest message; caller holds the lock and the queue is not empty. */
static void take(Queue *q, QMsg *m) {
  *m = q->ring[q->head];
  q->head = (q->head + 1) % q->cap;
  q->len--;
  /* broadcast: every blocked producer may push now (see the header comment) */
  if (q->waiting_push && q->cap - q->len >= q->push_wake) pthread_cond_broadcast(&q->not_full);
}

int q_pop(Queue *q, QMsg *m) {
  pthread_mutex_lock(&q->mu);
  while (q->len == 0 && !q->cancelled) {
    q->waiting_pop++;
    pthread_cond_wait(&q->not_empty, &q->mu);
    q->waiting_pop--;
  }
  if (q->cancelled) { pthread_mutex_unlock(&q->mu); return -1; }
  take(q, m);
  pthread_mutex_unlock(&q->mu);
  return 0;
}

void q_set_pop_wake(Queue *q, size_t k) {
  pthread_mutex_lock(&q->mu);
  q->pop_wake = k < 1 ? 1 : k > q->cap ? q->cap : k;
  pthread_mutex_unlock(&q->mu);
}

int q_try_pop(Queue *q, QMsg *m) {
  int rc = 1;
  pthread_mutex_lock(&q->mu);
  if (q->cancelled) rc = -1;
  else if (q->len > 0) { take(q, m); rc = 0; }
  pthread_mutex_unlock(&q->mu);
  return rc;
}

size_t q_len(Queue *q) {
  pthread_mutex_lock(&q->mu);
  size_t n = q->len;
  pthread_mutex_unlock(&q->mu);
  return n;
}

int q_blocked(Queue *q) {
  pthread_mutex_lock(&q->mu);
  int n = q->waiting_push + q->waiting_pop;
  pthread_mutex_unlock(&q->mu);
  return n;
}

void q_cancel(Queue *q) {
  pthread_mutex_lock(&q->mu);
  q->cancelled = 1;
  pthread_cond_broadcast(&q->not_empty);
  pthread_cond_broadcast(&q->not_full);
  pthread_mutex_unlock(&q->mu);
}
