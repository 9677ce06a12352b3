/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lg_kernel.h: the kernel services Linux's drivers/hv/{channel,channel_mgmt,connection}.c
 * use, written for user space. Every linux/... and asm/... header under stubs/ includes this
 * one file; the real Linux headers used are only include/linux/hyperv.h, its uapi part,
 * include/asm-generic/{hyperv-tlfs,mshyperv}.h, arch/x86/include/asm/hyperv-tlfs.h and
 * drivers/hv/hyperv_vmbus.h (fetched at build time, never changed).
 *
 * The threading model (see src/lg_sched.c): one big lock; exactly one thread runs Linux code
 * at a time. A thread that waits (completion, contended mutex) gives the big lock up and is
 * counted as blocked; the main loop answers a request once no thread is runnable.
 */
#ifndef LG_KERNEL_H
#define LG_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <errno.h>
#include <limits.h>

/* ---- compiler ------------------------------------------------------------------------- */
#define __init
#define __exit
#define __user
#define __iomem
#define __percpu
#define __rcu
#define __force
#define __must_check
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))
#define noinline __attribute__((noinline))
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __maybe_unused __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))
#define __section(s) __attribute__((section(s)))
#define __read_mostly
#define __ro_after_init
#define __cacheline_aligned
#define ____cacheline_aligned
#define ____cacheline_aligned_in_smp
#define __counted_by(x)
#define __nocast
#define __bitwise
#define notrace
#define fallthrough __attribute__((__fallthrough__))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) do { *(volatile __typeof__(x) *)&(x) = (v); } while (0)
#define smp_mb() __sync_synchronize()
#define smp_rmb() __sync_synchronize()
#define smp_wmb() __sync_synchronize()
#define mb() __sync_synchronize()
#define virt_mb() __sync_synchronize()
#define virt_rmb() __sync_synchronize()
#define virt_wmb() __sync_synchronize()
#define virt_store_mb(var, value) do { WRITE_ONCE(var, value); __sync_synchronize(); } while (0)
#define smp_store_mb(var, value) virt_store_mb(var, value)
#define smp_load_acquire(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)
#define BUILD_BUG_ON(c) _Static_assert(!(c), "BUILD_BUG_ON")
#define BUILD_BUG_ON_MSG(c, m) _Static_assert(!(c), m)
#define static_assert(...) _Static_assert(__VA_ARGS__)
#define __same_type(a, b) __builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
#define KBUILD_MODNAME "hv_vmbus"
/* Linux's Kconfig test: IS_ENABLED(CONFIG_X) is 1 when CONFIG_X is defined to 1 (-DCONFIG_HYPERV=1). */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) __is_defined(option)
#define THIS_MODULE ((struct module *)0)
struct module;

/* ---- types ---------------------------------------------------------------------------- */
typedef uint8_t u8;   typedef int8_t s8;
typedef uint16_t u16; typedef int16_t s16;
typedef uint32_t u32; typedef int32_t s32;
typedef uint64_t u64; typedef int64_t s64;
typedef uint8_t __u8;   typedef int8_t __s8;
typedef uint16_t __u16; typedef int16_t __s16;
typedef uint32_t __u32; typedef int32_t __s32;
typedef uint64_t __u64; typedef int64_t __s64;
typedef uint16_t __le16; typedef uint32_t __le32; typedef uint64_t __le64;
typedef uint16_t __be16; typedef uint32_t __be32; typedef uint64_t __be64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef u64 resource_size_t;
typedef unsigned int gfp_t;
typedef long ssize_t;
typedef s64 time64_t;
typedef s64 ktime_t;
typedef int pid_t;
typedef unsigned int uint;
typedef unsigned long ulong;
typedef unsigned long uintptr_t_;

#define U8_MAX 0xff
#define U16_MAX 0xffff
#define U32_MAX 0xffffffffU
#define U64_MAX 0xffffffffffffffffULL
#define S32_MAX INT_MAX

typedef struct { __u8 b[16]; } guid_t;
typedef struct { __u8 b[16]; } uuid_t;
#define GUID_INIT(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)			\
((guid_t)								\
{{ (a) & 0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff, ((a) >> 24) & 0xff, \
   (b) & 0xff, ((b) >> 8) & 0xff,					\
   (c) & 0xff, ((c) >> 8) & 0xff,					\
   (d0), (d1), (d2), (d3), (d4), (d5), (d6), (d7) }})
static inline bool guid_equal(const guid_t *a, const guid_t *b) { return memcmp(a, b, sizeof(guid_t)) == 0; }
static inline void guid_copy(guid_t *d, const guid_t *s) { memcpy(d, s, sizeof(guid_t)); }
static inline bool guid_is_null(const guid_t *g) { static const guid_t z; return guid_equal(g, &z); }

/* ---- helpers -------------------------------------------------------------------------- */
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define container_of_const(ptr, type, member) container_of(ptr, type, member)
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define umin(a, b) ((unsigned long long)(a) < (unsigned long long)(b) ? (unsigned long long)(a) : (unsigned long long)(b))
#define umax(a, b) ((unsigned long long)(a) > (unsigned long long)(b) ? (unsigned long long)(a) : (unsigned long long)(b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define ALIGN(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define round_up(x, y) ((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define GENMASK(h, l) (((~0UL) - (1UL << (l)) + 1) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l) (((~0ULL) - (1ULL << (l)) + 1) & (~0ULL >> (63 - (h))))
#define BITS_PER_LONG 64
#define BITS_TO_LONGS(n) DIV_ROUND_UP(n, BITS_PER_LONG)
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define struct_size(p, member, count) (sizeof(*(p)) + sizeof(*(p)->member) * (count))
#define flex_array_size(p, member, count) (sizeof(*(p)->member) * (count))
#define swap(a, b) do { __typeof__(a) __t = (a); (a) = (b); (b) = __t; } while (0)

/* ---- printk, BUG, WARN ---------------------------------------------------------------- */
void lg_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lg_bug(const char *file, int line) __attribute__((noreturn));
int lg_warn(const char *file, int line, const char *cond);
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define printk(fmt, ...) lg_log("", fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...) lg_log("err", pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) lg_log("warn", pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) lg_log("info", pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) lg_log("notice", pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) lg_log("debug", pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_ratelimited pr_err
#define pr_warn_ratelimited pr_warn
#define pr_info_ratelimited pr_info
#define pr_warn_once pr_warn
#define pr_err_once pr_err
#define dev_err(dev, fmt, ...) lg_log("err", fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) lg_log("warn", fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) lg_log("info", fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...) lg_log("debug", fmt, ##__VA_ARGS__)
#define print_hex_dump_debug(...) do { } while (0)
#define BUG() lg_bug(__FILE__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) lg_bug(__FILE__, __LINE__); } while (0)
#define WARN_ON(c) ({ int __c = !!(c); if (unlikely(__c)) lg_warn(__FILE__, __LINE__, #c); unlikely(__c); })
#define WARN_ON_ONCE(c) WARN_ON(c)
#define WARN(c, fmt, ...) ({ int __c = !!(c); if (unlikely(__c)) { lg_warn(__FILE__, __LINE__, #c); lg_log("warn", fmt, ##__VA_ARGS__); } unlikely(__c); })
#define WARN_ONCE(c, fmt, ...) WARN(c, fmt, ##__VA_ARGS__)
#define lockdep_assert_held(l) do { } while (0)
#define might_sleep() do { } while (0)

/* ---- module --------------------------------------------------------------------------- */
#define EXPORT_SYMBOL(s)
#define EXPORT_SYMBOL_GPL(s)
#define MODULE_LICENSE(s)
#define MODULE_DESCRIPTION(s)
#define MODULE_PARM_DESC(a, b)
#define module_param(name, type, perm)
#define S_IRUGO 0444

/* ---- atomics -------------------------------------------------------------------------- */
typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
#define ATOMIC_INIT(i) { (i) }
static inline int atomic_read(const atomic_t *v) { return __atomic_load_n(&v->counter, __ATOMIC_SEQ_CST); }
static inline void atomic_set(atomic_t *v, int i) { __atomic_store_n(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic_inc(atomic_t *v) { __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST); }
static inline void atomic_dec(atomic_t *v) { __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST); }
static inline int atomic_inc_return(atomic_t *v) { return __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST); }
static inline int atomic_dec_return(atomic_t *v) { return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST); }
static inline bool atomic_dec_and_test(atomic_t *v) { return atomic_dec_return(v) == 0; }
static inline int atomic_add_return(int i, atomic_t *v) { return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic_add(int i, atomic_t *v) { __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_xchg(atomic_t *v, int n) { return __atomic_exchange_n(&v->counter, n, __ATOMIC_SEQ_CST); }
static inline s64 atomic64_read(const atomic64_t *v) { return __atomic_load_n(&v->counter, __ATOMIC_SEQ_CST); }
static inline void atomic64_set(atomic64_t *v, s64 i) { __atomic_store_n(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic64_inc(atomic64_t *v) { __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST); }

/* ---- bitops --------------------------------------------------------------------------- */
static inline void set_bit(long nr, volatile unsigned long *a) { __atomic_or_fetch(&a[nr / 64], 1UL << (nr % 64), __ATOMIC_SEQ_CST); }
static inline void clear_bit(long nr, volatile unsigned long *a) { __atomic_and_fetch(&a[nr / 64], ~(1UL << (nr % 64)), __ATOMIC_SEQ_CST); }
static inline bool test_bit(long nr, const volatile unsigned long *a) { return (a[nr / 64] >> (nr % 64)) & 1; }
static inline bool test_and_set_bit(long nr, volatile unsigned long *a) { return (__atomic_fetch_or(&a[nr / 64], 1UL << (nr % 64), __ATOMIC_SEQ_CST) >> (nr % 64)) & 1; }
static inline bool test_and_clear_bit(long nr, volatile unsigned long *a) { return (__atomic_fetch_and(&a[nr / 64], ~(1UL << (nr % 64)), __ATOMIC_SEQ_CST) >> (nr % 64)) & 1; }
#define sync_set_bit set_bit
#define sync_clear_bit clear_bit
#define sync_test_and_set_bit test_and_set_bit
#define sync_test_and_clear_bit test_and_clear_bit
#define __set_bit set_bit
#define __clear_bit clear_bit
static inline unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags);
static inline void bitmap_free(const unsigned long *bitmap);
static inline int get_count_order(unsigned int count) { int o = 0; while ((1U << o) < count) o++; return o; }

/* ---- lists ---------------------------------------------------------------------------- */
struct list_head { struct list_head *next, *prev; };
struct hlist_node { struct hlist_node *next, **pprev; };
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l) { l->next = l; l->prev = l; }
static inline void __list_add(struct list_head *n, struct list_head *prev, struct list_head *next) { next->prev = n; n->next = next; n->prev = prev; prev->next = n; }
static inline void list_add(struct list_head *n, struct list_head *h) { __list_add(n, h, h->next); }
static inline void list_add_tail(struct list_head *n, struct list_head *h) { __list_add(n, h->prev, h); }
static inline void list_del(struct list_head *e) { e->next->prev = e->prev; e->prev->next = e->next; e->next = (void *)0x100; e->prev = (void *)0x122; }
static inline void list_del_init(struct list_head *e) { e->next->prev = e->prev; e->prev->next = e->next; INIT_LIST_HEAD(e); }
static inline int list_empty(const struct list_head *h) { return h->next == h; }
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_first_entry_or_null(ptr, type, member) (list_empty(ptr) ? NULL : list_first_entry(ptr, type, member))
#define list_next_entry(pos, member) list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_safe(pos, n, head) for (pos = (head)->next, n = pos->next; pos != (head); pos = n, n = pos->next)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_entry((head)->next, __typeof__(*pos), member); &pos->member != (head); pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = list_entry((head)->next, __typeof__(*pos), member), n = list_next_entry(pos, member); \
	     &pos->member != (head); pos = n, n = list_next_entry(n, member))
#define list_for_each_entry_rcu(pos, head, member, ...) list_for_each_entry(pos, head, member)

struct rcu_head { struct rcu_head *next; void (*func)(struct rcu_head *); };
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define synchronize_rcu() do { } while (0)
#define kfree_rcu(p, f) kfree(p)
#define rcu_assign_pointer(p, v) WRITE_ONCE(p, v)
#define rcu_dereference(p) READ_ONCE(p)

/* ---- memory --------------------------------------------------------------------------- */
#define GFP_KERNEL 0x1u
#define GFP_ATOMIC 0x2u
#define GFP_NOWAIT 0x4u
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x200u
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PAGE_ALIGN(x) ALIGN(x, PAGE_SIZE)
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
void *lg_kmalloc(size_t size, gfp_t flags);
void lg_kfree(const void *p);
#define kmalloc(s, f) lg_kmalloc(s, f)
#define kzalloc(s, f) lg_kmalloc(s, (f) | __GFP_ZERO)
#define kcalloc(n, s, f) lg_kmalloc((size_t)(n) * (s), (f) | __GFP_ZERO)
#define kmalloc_array(n, s, f) lg_kmalloc((size_t)(n) * (s), f)
#define kfree(p) lg_kfree(p)
#define vzalloc(s) lg_kmalloc(s, __GFP_ZERO)
#define vfree(p) lg_kfree(p)
static inline unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags) { return kcalloc(BITS_TO_LONGS(nbits), sizeof(unsigned long), flags); }
static inline void bitmap_free(const unsigned long *bitmap) { kfree(bitmap); }

/* Guest memory: pages with fake page frame numbers (src/lg_memory.c). */
struct page { void *virt; u64 pfn; };
struct page *lg_alloc_pages(gfp_t gfp, unsigned int order);
void lg_free_pages(struct page *page, unsigned int order);
u64 lg_virt_to_phys(const void *addr);
static inline int get_order(unsigned long size) { int o = 0; size = (size - 1) >> PAGE_SHIFT; while (size) { o++; size >>= 1; } return o; }
#define alloc_pages(gfp, order) lg_alloc_pages(gfp, order)
#define alloc_pages_node(node, gfp, order) lg_alloc_pages(gfp, order)
#define __free_pages(page, order) lg_free_pages(page, order)
#define page_address(page) ((page)->virt)
#define page_to_pfn(page) ((page)->pfn)
#define page_to_phys(page) ((phys_addr_t)(page)->pfn << PAGE_SHIFT)
#define virt_to_phys(addr) lg_virt_to_phys(addr)
#define __pa(addr) lg_virt_to_phys((const void *)(addr))
#define is_vmalloc_addr(addr) false
#define vmalloc_to_page(addr) ((struct page *)NULL)
#define vmalloc_to_pfn(addr) (lg_virt_to_phys(addr) >> PAGE_SHIFT)
#define virt_to_pfn(addr) (lg_virt_to_phys(addr) >> PAGE_SHIFT)
static inline int set_memory_decrypted(unsigned long addr, int numpages) { (void)addr; (void)numpages; return 0; }
static inline int set_memory_encrypted(unsigned long addr, int numpages) { (void)addr; (void)numpages; return 0; }
struct pci_dev;
struct kvec { void *iov_base; size_t iov_len; };
struct scatterlist { unsigned long page_link; unsigned int offset, length; };

/* ---- locks ---------------------------------------------------------------------------- */
/* One thread runs Linux code at a time (the big lock), so a spinlock never spins. */
typedef struct { int unused; } spinlock_t;
#define DEFINE_SPINLOCK(x) spinlock_t x
#define __SPIN_LOCK_UNLOCKED(x) { 0 }
#define spin_lock_init(l) do { (void)(l); } while (0)
#define spin_lock(l) do { (void)(l); } while (0)
#define spin_unlock(l) do { (void)(l); } while (0)
#define spin_lock_irqsave(l, f) do { (void)(l); (f) = 0; } while (0)
#define spin_unlock_irqrestore(l, f) do { (void)(l); (void)(f); } while (0)
#define spin_lock_bh(l) do { (void)(l); } while (0)
#define spin_unlock_bh(l) do { (void)(l); } while (0)
#define spin_lock_irq(l) do { (void)(l); } while (0)
#define spin_unlock_irq(l) do { (void)(l); } while (0)
#define local_irq_save(f) do { (f) = 0; } while (0)
#define local_irq_restore(f) do { (void)(f); } while (0)

struct lg_waiter;
struct mutex { int locked; struct lg_waiter *waiters; };
#define DEFINE_MUTEX(x) struct mutex x = { 0, 0 }
void lg_mutex_init(struct mutex *m);
void lg_mutex_lock(struct mutex *m);
void lg_mutex_unlock(struct mutex *m);
#define mutex_init(m) lg_mutex_init(m)
#define mutex_lock(m) lg_mutex_lock(m)
#define mutex_unlock(m) lg_mutex_unlock(m)
#define mutex_is_locked(m) ((m)->locked)

/* A completion wait YIELDS: the thread blocks until complete(); no timer ever fires. */
struct completion { unsigned int done; struct lg_waiter *waiters; };
void lg_init_completion(struct completion *c);
void lg_wait_for_completion(struct completion *c);
void lg_complete(struct completion *c);
void lg_complete_all(struct completion *c);
#define init_completion(c) lg_init_completion(c)
#define reinit_completion(c) do { (c)->done = 0; } while (0)
#define wait_for_completion(c) lg_wait_for_completion(c)
#define wait_for_completion_timeout(c, t) (lg_wait_for_completion(c), (unsigned long)1)
#define wait_for_completion_interruptible(c) (lg_wait_for_completion(c), 0)
#define complete(c) lg_complete(c)
#define complete_all(c) lg_complete_all(c)
#define try_wait_for_completion(c) ((c)->done ? ((c)->done--, true) : false)
#define completion_done(c) ((c)->done != 0)
#define DECLARE_COMPLETION(x) struct completion x = { 0, 0 }
#define COMPLETION_INITIALIZER(x) { 0, 0 }

/* msleep yields the big lock; the loops that use it wait for other threads. */
void lg_msleep(unsigned int ms);
#define msleep(ms) lg_msleep(ms)
#define udelay(us) do { (void)(us); } while (0)
#define mdelay(ms) do { (void)(ms); } while (0)
#define MAX_UDELAY_MS 5
#define HZ 1000
#define msecs_to_jiffies(ms) ((unsigned long)(ms))
#define usecs_to_jiffies(us) ((unsigned long)(us))
#define jiffies_to_msecs(j) ((unsigned int)(j))
extern unsigned long jiffies;
#define cond_resched() do { } while (0)
#define cpu_relax() do { } while (0)

/* ---- work queues and tasklets --------------------------------------------------------- */
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct { struct list_head entry; work_func_t func; int pending; };
struct workqueue_struct { const char *name; };
struct delayed_work { struct work_struct work; };
#define INIT_WORK(w, f) do { INIT_LIST_HEAD(&(w)->entry); (w)->func = (f); (w)->pending = 0; } while (0)
bool lg_queue_work(struct workqueue_struct *wq, struct work_struct *work);
struct workqueue_struct *lg_create_workqueue(const char *name);
#define queue_work(wq, w) lg_queue_work(wq, w)
#define queue_work_on(cpu, wq, w) lg_queue_work(wq, w)
#define schedule_work(w) lg_queue_work(NULL, w)
#define create_workqueue(name) lg_create_workqueue(name)
#define create_singlethread_workqueue(name) lg_create_workqueue(name)
#define alloc_workqueue(name, ...) lg_create_workqueue(name)
#define alloc_ordered_workqueue(name, ...) lg_create_workqueue(name)
#define destroy_workqueue(wq) do { (void)(wq); } while (0)
#define flush_workqueue(wq) do { (void)(wq); } while (0)
#define cancel_work_sync(w) ((void)(w), false)
struct tasklet_struct { void (*func)(unsigned long); unsigned long data; int disabled; };
#define tasklet_init(t, f, d) do { (t)->func = (f); (t)->data = (d); (t)->disabled = 0; } while (0)
#define tasklet_disable(t) do { (t)->disabled++; } while (0)
#define tasklet_enable(t) do { (t)->disabled--; } while (0)
#define tasklet_kill(t) do { (void)(t); } while (0)
#define tasklet_schedule(t) do { (void)(t); } while (0)
struct timer_list { void (*function)(struct timer_list *); unsigned long expires; };

/* ---- cpus ----------------------------------------------------------------------------- */
#define NR_CPUS 64
#define nr_cpu_ids 1u
#define nr_node_ids 1
#define num_online_cpus() 1u
#define num_possible_cpus() 1u
#define smp_processor_id() 0
#define get_cpu() 0
#define put_cpu() do { } while (0)
#define raw_smp_processor_id() 0
#define cpu_to_node(cpu) 0
#define cpus_read_lock() do { } while (0)
#define cpus_read_unlock() do { } while (0)
#define cpu_online(cpu) ((cpu) == 0)
#define for_each_present_cpu(cpu) for ((cpu) = 0; (cpu) < 1; (cpu)++)
#define for_each_online_cpu(cpu) for ((cpu) = 0; (cpu) < 1; (cpu)++)
#define for_each_cpu(cpu, mask) for ((cpu) = 0; (cpu) < 1; (cpu)++) if (cpumask_test_cpu(cpu, mask))
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < 1; (cpu)++)
struct cpumask { unsigned long bits[1]; };
typedef struct cpumask cpumask_var_t[1];
typedef struct cpumask cpumask_t;
extern struct cpumask lg_cpu_online_mask;
#define cpu_online_mask (&lg_cpu_online_mask)
#define cpu_present_mask (&lg_cpu_online_mask)
#define cpumask_of_node(n) (&lg_cpu_online_mask)
#define cpumask_of(cpu) (&lg_cpu_online_mask)
#define alloc_cpumask_var(m, f) true
#define free_cpumask_var(m) do { } while (0)
#define cpumask_intersects(a, b) (((a)->bits[0] & (b)->bits[0]) != 0)
#define cpumask_xor(d, a, b) ((d)->bits[0] = (a)->bits[0] ^ (b)->bits[0])
#define cpumask_and(d, a, b) ((d)->bits[0] = (a)->bits[0] & (b)->bits[0])
#define cpumask_empty(m) ((m)->bits[0] == 0)
#define cpumask_clear(m) ((m)->bits[0] = 0)
#define cpumask_first(m) ((unsigned int)__builtin_ctzl((m)->bits[0] | (1UL << 63)))
#define cpumask_set_cpu(c, m) ((m)->bits[0] |= 1UL << (c))
#define cpumask_clear_cpu(c, m) ((m)->bits[0] &= ~(1UL << (c)))
#define cpumask_test_cpu(c, m) (((m)->bits[0] >> (c)) & 1)
#define cpumask_weight(m) __builtin_popcountl((m)->bits[0])
enum hk_type { HK_TYPE_MANAGED_IRQ, HK_TYPE_DOMAIN };
#define housekeeping_cpumask(t) (&lg_cpu_online_mask)
#define per_cpu_ptr(p, cpu) (p)
#define this_cpu_ptr(p) (p)
#define DECLARE_PER_CPU(t, n) extern t n
#define DEFINE_PER_CPU(t, n) t n

/* ---- device model (just enough for hyperv.h) ------------------------------------------ */
struct kobject { const char *name; int refs; };
struct kset { struct kobject kobj; };
struct device_driver { const char *name; };
struct device { struct device *parent; void *driver_data; struct kobject kobj; void *dma_parms; u64 *dma_mask; };
struct device_dma_parameters { unsigned int max_segment_size; unsigned long segment_boundary_mask; };
struct dentry;
struct attribute { const char *name; unsigned short mode; };
struct bin_attribute { struct attribute attr; size_t size; };
struct attribute_group { const char *name; };
static inline void *dev_get_drvdata(const struct device *dev) { return dev->driver_data; }
static inline void dev_set_drvdata(struct device *dev, void *data) { dev->driver_data = data; }
#define kobject_put(k) do { (void)(k); } while (0)
#define get_device(d) (d)
#define put_device(d) do { (void)(d); } while (0)
struct hv_vmbus_device_id { guid_t guid; unsigned long driver_data; };

/* ---- more stubs the headers use ---- */
#define node_to_pxm(node) 0
#define touch_nmi_watchdog() do { } while (0)
#define cmpxchg(p, o, n) __sync_val_compare_and_swap(p, o, n)
#define xchg(p, v) __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST)
unsigned long lg_get_free_page(gfp_t gfp);
void lg_free_page(unsigned long addr);
#define __get_free_page(gfp) lg_get_free_page(gfp)
#define __get_free_pages(gfp, order) lg_get_free_page(gfp)
#define free_page(addr) lg_free_page(addr)
static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int n) { while (n--) set_bit(start++, map); }
static inline void bitmap_clear(unsigned long *map, unsigned int start, unsigned int n) { while (n--) clear_bit(start++, map); }
static inline u64 hv_ghcb_hypercall(u64 control, void *input, void *output, u32 input_size) { (void)control; (void)input; (void)output; (void)input_size; return 0; }
static inline u64 hv_tdx_hypercall(u64 control, u64 param1, u64 param2) { (void)control; (void)param1; (void)param2; return 0; }
struct vm_area_struct;
struct resource;

/* ---- misc ----------------------------------------------------------------------------- */
struct reciprocal_value { u32 m; u8 sh1, sh2; };
static inline struct reciprocal_value reciprocal_value(u32 d) { struct reciprocal_value r = { d, 0, 0 }; return r; }
static inline u32 reciprocal_divide(u32 a, struct reciprocal_value R) { return R.m ? a / R.m : 0; }
struct pt_regs;
struct irq_domain;
struct msi_desc;
struct acpi_table_header;
#define num_possible_nodes() 1
#define numa_node_id() 0
#define NUMA_NO_NODE (-1)
#define in_interrupt() 0
#define irqs_disabled() 0
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
#define local_bh_disable() do { } while (0)
#define local_bh_enable() do { } while (0)
#define hv_current_partition_id 0
typedef int irqreturn_t;
struct tracepoint;

#endif
