// SPDX-License-Identifier: GPL-2.0
/*
 * lg_glue.c: the user-space kernel under Linux's unmodified drivers/hv/{channel,channel_mgmt,
 * connection}.c, and the C API the Python driver (linux_guest.py) calls through ctypes.
 *
 * Threads. One mutex, the big lock M, is held by whichever thread runs Linux code; there is only
 * ever one. Each potentially blocking Linux call (vmbus_establish_gpadl, vmbus_teardown_gpadl,
 * vmbus_open, vmbus_close) and each work item Linux queues runs in a thread of its own. A thread
 * that waits (wait_for_completion, a contended mutex_lock) gives M up and is no longer counted as
 * runnable; complete() and mutex_unlock() count it again as they wake it. An API call returns
 * ("settles") once no thread is runnable and no work item is queued: halves.md rule 3.
 * No timer ever fires: wait_for_completion_timeout waits for ever, msleep only yields.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "lg_kernel.h"
#include <linux/hyperv.h>
#include <asm/mshyperv.h>
#include "hyperv_vmbus.h"

/* ======================================================================================== */
/* Logging                                                                                  */
/* ======================================================================================== */

void lg_log(const char *level, const char *fmt, ...)
{
	va_list ap;
	int n = (int)strlen(fmt);

	fprintf(stderr, "[linux%s%s] ", level[0] ? " " : "", level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (n == 0 || fmt[n - 1] != '\n')
		fputc('\n', stderr);
	fflush(stderr);
}

void lg_bug(const char *file, int line)
{
	fprintf(stderr, "[linux] BUG at %s:%d: exiting\n", file, line);
	fflush(stderr);
	_exit(70);
}

int lg_warn(const char *file, int line, const char *cond)
{
	fprintf(stderr, "[linux] WARNING at %s:%d: %s\n", file, line, cond);
	fflush(stderr);
	return 1;
}

unsigned long jiffies;
struct cpumask lg_cpu_online_mask = { { 1 } };

/* ======================================================================================== */
/* Events for the response being built: every message Linux posts, every call that returned  */
/* ======================================================================================== */

static char *events;
static size_t events_len, events_cap;

static void event_append(const char *s, size_t n)
{
	if (events_len + n + 1 > events_cap) {
		size_t cap = events_cap ? events_cap * 2 : 4096;

		while (cap < events_len + n + 1)
			cap *= 2;
		events = realloc(events, cap);
		if (!events)
			lg_bug(__FILE__, __LINE__);
		events_cap = cap;
	}
	memcpy(events + events_len, s, n);
	events_len += n;
	events[events_len] = 0;
}

/* ======================================================================================== */
/* The big lock, waits, completions, mutexes, work queues                                    */
/* ======================================================================================== */

static pthread_mutex_t M = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t settle_cv = PTHREAD_COND_INITIALIZER;
static int running;   /* threads that may run Linux code (not waiting) */
static int polling;   /* threads in msleep() */
static __thread int is_main = 1;
static unsigned int generation; /* bumped by reset: threads of an old connection never count again */

struct lg_waiter {
	struct lg_waiter *next;
	pthread_cond_t cv;
	int woken;
};

static void waitlist_block(struct lg_waiter **list)
{
	struct lg_waiter w, **pp;

	if (is_main) {
		lg_log("err", "the main loop would block in Linux code: exiting");
		_exit(71);
	}
	pthread_cond_init(&w.cv, NULL);
	w.woken = 0;
	w.next = NULL;
	for (pp = list; *pp; pp = &(*pp)->next)
		;
	*pp = &w;
	running--;
	pthread_cond_broadcast(&settle_cv);
	while (!w.woken)
		pthread_cond_wait(&w.cv, &M);
	pthread_cond_destroy(&w.cv);
}

static int waitlist_wake(struct lg_waiter **list, int all)
{
	int n = 0;

	while (*list) {
		struct lg_waiter *w = *list;

		*list = w->next;
		w->woken = 1;
		running++;
		pthread_cond_signal(&w->cv);
		n++;
		if (!all)
			break;
	}
	return n;
}

void lg_init_completion(struct completion *c)
{
	c->done = 0;
	c->waiters = NULL;
}

void lg_wait_for_completion(struct completion *c)
{
	while (c->done == 0)
		waitlist_block(&c->waiters);
	if (c->done != UINT_MAX)
		c->done--;
}

void lg_complete(struct completion *c)
{
	if (c->done != UINT_MAX)
		c->done++;
	waitlist_wake(&c->waiters, 0);
}

void lg_complete_all(struct completion *c)
{
	c->done = UINT_MAX;
	waitlist_wake(&c->waiters, 1);
}

void lg_mutex_init(struct mutex *m)
{
	m->locked = 0;
	m->waiters = NULL;
}

void lg_mutex_lock(struct mutex *m)
{
	while (m->locked)
		waitlist_block(&m->waiters);
	m->locked = 1;
}

void lg_mutex_unlock(struct mutex *m)
{
	m->locked = 0;
	waitlist_wake(&m->waiters, 0);
}

void lg_msleep(unsigned int ms)
{
	unsigned int gen = generation;

	(void)ms;
	if (is_main)
		return;
	polling++;
	running--;
	pthread_cond_broadcast(&settle_cv);
	pthread_mutex_unlock(&M);
	usleep(200);
	pthread_mutex_lock(&M);
	if (gen == generation) {
		polling--;
		running++;
	}
}

/* Work queues: one FIFO for all of them; the main loop starts one item at a time, each in its
 * own thread, once nothing else is runnable (so items run in the order they were queued). */
static LIST_HEAD(work_fifo);
static struct workqueue_struct the_wq = { "lg" };

struct workqueue_struct *lg_create_workqueue(const char *name)
{
	(void)name;
	return &the_wq;
}

bool lg_queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	(void)wq;
	if (work->pending)
		return false;
	work->pending = 1;
	list_add_tail(&work->entry, &work_fifo);
	return true;
}

struct thread_start {
	void (*fn)(void *);
	void *arg;
	unsigned int gen;
};

static void *thread_main(void *p)
{
	struct thread_start ts = *(struct thread_start *)p;

	free(p);
	is_main = 0;
	pthread_mutex_lock(&M);
	ts.fn(ts.arg);
	if (ts.gen == generation) {
		running--;
		pthread_cond_broadcast(&settle_cv);
	}
	pthread_mutex_unlock(&M);
	return NULL;
}

/* Called with M held. */
static void spawn(void (*fn)(void *), void *arg)
{
	pthread_t t;
	pthread_attr_t attr;
	struct thread_start *ts = malloc(sizeof(*ts));

	if (!ts)
		lg_bug(__FILE__, __LINE__);
	ts->fn = fn;
	ts->arg = arg;
	ts->gen = generation;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 512 * 1024);  /* threads of an old connection stay blocked */
	running++;
	if (pthread_create(&t, &attr, thread_main, ts) != 0)
		lg_bug(__FILE__, __LINE__);
	pthread_attr_destroy(&attr);
}

static void run_work(void *p)
{
	struct work_struct *w = p;

	w->func(w);
}

/* Called with M held: returns when nothing is runnable, nothing is queued, nobody polls. */
static void settle(void)
{
	struct timespec deadline;
	int spins = 0;

	for (;;) {
		if (running == 0 && !list_empty(&work_fifo)) {
			struct work_struct *w = list_first_entry(&work_fifo, struct work_struct, entry);

			list_del_init(&w->entry);
			w->pending = 0;
			spawn(run_work, w);
			continue;
		}
		if (running == 0 && polling == 0)
			return;
		if (running == 0 && ++spins > 20000) {
			lg_log("warn", "a thread keeps polling (msleep loop); answering anyway");
			return;
		}
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += 1000000;
		if (deadline.tv_nsec >= 1000000000) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&settle_cv, &M, &deadline);
	}
}

/* ======================================================================================== */
/* Guest memory: pages with made-up page frame numbers                                      */
/* ======================================================================================== */

struct region {
	u8 *virt;
	u32 npages;
	u64 *pfns;
	struct page *pages;
};

static struct region *regions;
static size_t nregions, cap_regions;
static u64 next_pfn_index;

/* Distinct, scattered PFNs: buffers are not physically contiguous (like the reference). */
#define PFN_BASE 0x10000u
#define PFN_MUL 40503u      /* odd: a bijection modulo 2^20 */
static u8 **page_by_index;  /* index n (in allocation order) -> its page */
static u64 cap_page_index;

static u64 make_pfn(u8 *virt)
{
	u64 n = next_pfn_index++;

	if (n >= cap_page_index) {
		cap_page_index = cap_page_index ? cap_page_index * 2 : 4096;
		while (cap_page_index <= n)
			cap_page_index *= 2;
		page_by_index = realloc(page_by_index, cap_page_index * sizeof(*page_by_index));
		if (!page_by_index)
			lg_bug(__FILE__, __LINE__);
	}
	page_by_index[n] = virt;
	return PFN_BASE + ((n * PFN_MUL) & 0xFFFFF) + ((n >> 20) << 20);
}

static u8 *pfn_page(u64 pfn)
{
	u64 inv = 1, k, n;
	int i;

	if (pfn < PFN_BASE)
		return NULL;
	/* the inverse of PFN_MUL modulo 2^20 (Newton's iteration) */
	for (i = 0; i < 5; i++)
		inv = (inv * (2 - PFN_MUL * inv)) & 0xFFFFF;
	k = pfn - PFN_BASE;
	n = (((k & 0xFFFFF) * inv) & 0xFFFFF) | ((k >> 20) << 20);
	return n < next_pfn_index ? page_by_index[n] : NULL;
}

static struct region *region_new(u32 npages)
{
	struct region *r;
	void *mem = NULL;
	u32 i;

	if (npages == 0 || npages > (1u << 18))
		return NULL;
	mem = mmap(NULL, (size_t)npages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return NULL;
	if (nregions == cap_regions) {
		cap_regions = cap_regions ? cap_regions * 2 : 64;
		regions = realloc(regions, cap_regions * sizeof(*regions));
		if (!regions)
			lg_bug(__FILE__, __LINE__);
	}
	r = &regions[nregions++];
	r->virt = mem;
	r->npages = npages;
	r->pfns = calloc(npages, sizeof(u64));
	r->pages = calloc(npages, sizeof(struct page));
	if (!r->pfns || !r->pages)
		lg_bug(__FILE__, __LINE__);
	for (i = 0; i < npages; i++) {
		r->pfns[i] = make_pfn(r->virt + (size_t)i * PAGE_SIZE);
		r->pages[i].virt = r->virt + (size_t)i * PAGE_SIZE;
		r->pages[i].pfn = r->pfns[i];
	}
	return r;
}

static struct region *region_of(const void *addr, size_t *index)
{
	size_t i;

	for (i = 0; i < nregions; i++) {
		struct region *r = &regions[i];

		if ((const u8 *)addr >= r->virt && (const u8 *)addr < r->virt + (size_t)r->npages * PAGE_SIZE) {
			if (index)
				*index = ((const u8 *)addr - r->virt) / PAGE_SIZE;
			return r;
		}
	}
	return NULL;
}

struct page *lg_alloc_pages(gfp_t gfp, unsigned int order)
{
	struct region *r;

	(void)gfp;
	if (order > 20)
		return NULL;
	r = region_new(1u << order);
	return r ? r->pages : NULL;
}

void lg_free_pages(struct page *page, unsigned int order)
{
	/* Kept: a host may still name these PFNs; nothing is reused within a connection. */
	(void)page;
	(void)order;
}

unsigned long lg_get_free_page(gfp_t gfp)
{
	struct page *p = lg_alloc_pages(gfp, 0);

	return p ? (unsigned long)p->virt : 0;
}

void lg_free_page(unsigned long addr)
{
	(void)addr;
}

u64 lg_virt_to_phys(const void *addr)
{
	size_t i;
	struct region *r = region_of(addr, &i);

	if (!r) {
		lg_log("err", "virt_to_phys of %p: not guest memory", addr);
		return 0;
	}
	return (r->pfns[i] << PAGE_SHIFT) | offset_in_page(addr);
}

void *lg_kmalloc(size_t size, gfp_t flags)
{
	void *p = malloc(size ? size : 1);

	if (p && (flags & __GFP_ZERO))
		memset(p, 0, size ? size : 1);
	return p;
}

void lg_kfree(const void *p)
{
	free((void *)p);
}

/* ======================================================================================== */
/* What lives elsewhere in Linux (hv.c, hv_common.c, ring_buffer.c, vmbus_drv.c, arch/x86)   */
/* ======================================================================================== */

struct hv_context hv_context;
struct ms_hyperv_info ms_hyperv;
static u32 vp_index[NR_CPUS];
u32 *hv_vp_index = vp_index;

bool hv_is_isolation_supported(void) { return false; }
bool hv_isolation_type_snp(void) { return false; }
bool hv_isolation_type_tdx(void) { return false; }

/* hv.c: the hypercall HvPostMessage. Here: the message goes into the response's events. */
int hv_post_message(union hv_connection_id connection_id, enum hv_message_type message_type,
		    void *payload, size_t payload_size)
{
	static const char hex[] = "0123456789abcdef";
	char buf[2 * HV_MESSAGE_PAYLOAD_BYTE_COUNT + 4];
	size_t i;

	(void)connection_id;
	(void)message_type;
	if (payload_size > HV_MESSAGE_PAYLOAD_BYTE_COUNT)
		return -EMSGSIZE;
	buf[0] = 'S';
	buf[1] = ' ';
	for (i = 0; i < payload_size; i++) {
		buf[2 + 2 * i] = hex[((u8 *)payload)[i] >> 4];
		buf[3 + 2 * i] = hex[((u8 *)payload)[i] & 15];
	}
	buf[2 + 2 * payload_size] = '\n';
	event_append(buf, 3 + 2 * payload_size);
	return HV_STATUS_SUCCESS;
}

/* ring_buffer.c: only what the open and close need (no packets travel here). */
void hv_ringbuffer_pre_init(struct vmbus_channel *channel)
{
	mutex_init(&channel->inbound.ring_buffer_mutex);
	mutex_init(&channel->outbound.ring_buffer_mutex);
}

int hv_ringbuffer_init(struct hv_ring_buffer_info *ring_info, struct page *pages, u32 page_cnt,
		       u32 max_pkt_size)
{
	ring_info->ring_buffer = (struct hv_ring_buffer *)page_address(pages);
	ring_info->ring_buffer->read_index = ring_info->ring_buffer->write_index = 0;
	ring_info->ring_buffer->feature_bits.value = 1;
	ring_info->ring_size = page_cnt << PAGE_SHIFT;
	ring_info->ring_datasize = ring_info->ring_size - sizeof(struct hv_ring_buffer);
	ring_info->priv_read_index = 0;
	ring_info->pkt_buffer_size = max_pkt_size;
	return 0;
}

void hv_ringbuffer_cleanup(struct hv_ring_buffer_info *ring_info)
{
	ring_info->ring_buffer = NULL;
}

int hv_ringbuffer_write(struct vmbus_channel *channel, const struct kvec *kv_list, u32 kv_count,
			u64 requestid, u64 *trans_id)
{
	(void)channel; (void)kv_list; (void)kv_count; (void)requestid; (void)trans_id;
	return -EINVAL;
}

int hv_ringbuffer_read(struct vmbus_channel *channel, void *buffer, u32 buflen, u32 *buffer_actual_len,
		       u64 *requestid, bool raw)
{
	(void)channel; (void)buffer; (void)buflen; (void)buffer_actual_len; (void)requestid; (void)raw;
	return -EINVAL;
}

/* vmbus_drv.c: the device model. A device is "registered" when Linux has a channel for it;
 * the harness's client endpoint plays its driver. */
#define LG_MAX_DEVICES 4096
struct lg_device {
	struct vmbus_channel *channel;
	struct hv_device *dev;
	int driver_bound;  /* a client endpoint is bound: remove() closes the channel */
	int removed;       /* hv_process_channel_removal ran: RELID_RELEASED sent */
};
static struct lg_device devices[LG_MAX_DEVICES];
static int ndevices;

static struct lg_device *device_of(struct vmbus_channel *ch)
{
	int i;

	for (i = 0; i < ndevices; i++)
		if (devices[i].channel == ch)
			return &devices[i];
	return NULL;
}

struct hv_device *vmbus_device_create(const guid_t *type, const guid_t *instance,
				      struct vmbus_channel *channel)
{
	struct hv_device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;
	guid_copy(&dev->dev_type, type);
	guid_copy(&dev->dev_instance, instance);
	dev->channel = channel;
	return dev;
}

int vmbus_device_register(struct hv_device *child_device_obj)
{
	if (ndevices == LG_MAX_DEVICES)
		return -ENOMEM;
	devices[ndevices].channel = child_device_obj->channel;
	devices[ndevices].dev = child_device_obj;
	devices[ndevices].driver_bound = 0;
	devices[ndevices].removed = 0;
	ndevices++;
	return 0;
}

/*
 * device_unregister() in vmbus_drv.c: the bound driver's remove() (a VSC driver closes its
 * channel: vmbus_close), then the release of the device (vmbus_device_release), which takes
 * channel_mutex and calls hv_process_channel_removal: RELID_RELEASED.
 */
void vmbus_device_unregister(struct hv_device *device_obj)
{
	struct vmbus_channel *ch = device_obj->channel;
	struct lg_device *d = device_of(ch);

	if (d && d->driver_bound)
		vmbus_close(ch);
	mutex_lock(&vmbus_connection.channel_mutex);
	hv_process_channel_removal(ch);
	mutex_unlock(&vmbus_connection.channel_mutex);
	if (d)
		d->removed = 1;
}

int vmbus_add_channel_kobj(struct hv_device *device_obj, struct vmbus_channel *channel)
{
	(void)device_obj;
	(void)channel;
	return 0;
}

void vmbus_remove_channel_attr_group(struct vmbus_channel *channel)
{
	struct lg_device *d = device_of(channel);

	if (d)
		d->removed = 1;
}

/* vmbus_drv.c: vmbus_on_msg_dpc and vmbus_onmessage_work, as Linux dispatches a message. */
struct lg_onmessage_work {
	struct work_struct work;
	u32 len;
	u8 payload[HV_MESSAGE_PAYLOAD_BYTE_COUNT];
};

static void lg_onmessage_work(struct work_struct *work)
{
	struct lg_onmessage_work *ctx = container_of(work, struct lg_onmessage_work, work);

	if (vmbus_connection.conn_state != DISCONNECTED)
		vmbus_onmessage((struct vmbus_channel_message_header *)ctx->payload);
	kfree(ctx);
}

static void on_msg_dpc(const u8 *bytes, u32 len)
{
	u8 payload[HV_MESSAGE_PAYLOAD_BYTE_COUNT];
	struct vmbus_channel_message_header *hdr = (void *)payload;
	const struct vmbus_channel_message_table_entry *entry;
	u32 msgtype;

	if (len > HV_MESSAGE_PAYLOAD_BYTE_COUNT) {
		WARN_ONCE(1, "payload size is too large (%u)\n", len);
		return;
	}
	memset(payload, 0, sizeof(payload));
	memcpy(payload, bytes, len);
	msgtype = hdr->msgtype;
	if (msgtype >= CHANNELMSG_COUNT) {
		WARN_ONCE(1, "unknown msgtype=%u\n", msgtype);
		return;
	}
	entry = &channel_message_table[msgtype];
	if (!entry->message_handler)
		return;
	if (len < entry->min_payload_len) {
		WARN_ONCE(1, "message too short: msgtype=%u len=%u\n", msgtype, len);
		return;
	}
	if (entry->handler_type == VMHT_BLOCKING) {
		struct lg_onmessage_work *ctx = kzalloc(sizeof(*ctx), GFP_ATOMIC);

		if (!ctx)
			return;
		INIT_WORK(&ctx->work, lg_onmessage_work);
		ctx->len = len;
		memcpy(ctx->payload, payload, sizeof(payload));
		switch (msgtype) {
		case CHANNELMSG_RESCIND_CHANNELOFFER:
			if (vmbus_connection.ignore_any_offer_msg)
				break;
			queue_work(vmbus_connection.rescind_work_queue, &ctx->work);
			break;
		case CHANNELMSG_OFFERCHANNEL:
			if (vmbus_connection.ignore_any_offer_msg)
				break;
			atomic_inc(&vmbus_connection.offer_in_progress);
			fallthrough;
		default:
			queue_work(vmbus_connection.work_queue, &ctx->work);
		}
	} else {
		entry->message_handler(hdr);
	}
}

/* ======================================================================================== */
/* The connection: already connected (README choice G30), as after vmbus_connect()          */
/* ======================================================================================== */

static void connection_init(void)
{
	struct page *p;

	memset(&vmbus_connection, 0, sizeof(vmbus_connection));
	init_completion(&vmbus_connection.unload_event);
	init_completion(&vmbus_connection.ready_for_suspend_event);
	init_completion(&vmbus_connection.ready_for_resume_event);
	atomic_set(&vmbus_connection.next_gpadl_handle, 0xE1E10);
	vmbus_connection.work_queue = create_workqueue("hv_vmbus_con");
	vmbus_connection.rescind_work_queue = create_workqueue("hv_vmbus_rescind");
	vmbus_connection.handle_primary_chan_wq = create_workqueue("hv_pri_chan");
	vmbus_connection.handle_sub_chan_wq = create_workqueue("hv_sub_chan");
	INIT_LIST_HEAD(&vmbus_connection.chn_msg_list);
	spin_lock_init(&vmbus_connection.channelmsg_lock);
	INIT_LIST_HEAD(&vmbus_connection.chn_list);
	mutex_init(&vmbus_connection.channel_mutex);
	vmbus_connection.channels = kcalloc(MAX_CHANNEL_RELIDS, sizeof(struct vmbus_channel *), GFP_KERNEL);
	p = lg_alloc_pages(GFP_KERNEL, 0);
	vmbus_connection.int_page = p->virt;
	vmbus_connection.recv_int_page = vmbus_connection.int_page;
	vmbus_connection.send_int_page = (u8 *)vmbus_connection.int_page + (PAGE_SIZE >> 1);
	vmbus_connection.monitor_pages[0] = lg_alloc_pages(GFP_KERNEL, 0)->virt;
	vmbus_connection.monitor_pages[1] = lg_alloc_pages(GFP_KERNEL, 0)->virt;
	vmbus_connection.msg_conn_id = VMBUS_MESSAGE_CONNECTION_ID_4;
	vmbus_proto_version = VERSION_WIN10_V5_3;
	vmbus_connection.conn_state = CONNECTED;
}

/* ======================================================================================== */
/* Operations: one thread per blocking Linux call                                            */
/* ======================================================================================== */

enum { OP_ESTABLISH = 1, OP_TEARDOWN = 2, OP_OPEN = 3, OP_CLOSE = 4 };

struct lg_op {
	u32 id;
	int kind;
	struct vmbus_channel *chan;
	void *buf;
	u32 a, b;
	struct vmbus_gpadl *gpadl;
	int done;
	int ret;
	unsigned int gen;
};

static struct lg_op **ops;
static u32 nops, cap_ops;

static void lg_onchannelcallback(void *context)
{
	(void)context;
}

static void run_op(void *p)
{
	struct lg_op *op = p;
	char line[32];

	switch (op->kind) {
	case OP_ESTABLISH:
		op->ret = vmbus_establish_gpadl(op->chan, op->buf, op->a, op->gpadl);
		break;
	case OP_TEARDOWN:
		op->ret = vmbus_teardown_gpadl(op->chan, op->gpadl);
		break;
	case OP_OPEN:
		op->ret = vmbus_open(op->chan, op->a, op->b, NULL, 0, lg_onchannelcallback, NULL);
		break;
	case OP_CLOSE:
		vmbus_close(op->chan);
		op->ret = 0;
		break;
	default:
		op->ret = -EINVAL;
	}
	if (op->gen != generation)
		return;
	op->done = 1;
	snprintf(line, sizeof(line), "C %u\n", op->id);
	event_append(line, strlen(line));
}

/* ======================================================================================== */
/* The API (ctypes)                                                                          */
/* ======================================================================================== */

void lg_reset(void)
{
	pthread_mutex_lock(&M);
	generation++;
	running = 0;
	polling = 0;
	INIT_LIST_HEAD(&work_fifo);
	nregions = 0;           /* old memory is leaked: threads of the old connection may hold it */
	next_pfn_index = 0;
	ndevices = 0;
	nops = 0;
	events_len = 0;
	if (events)
		events[0] = 0;
	connection_init();
	pthread_mutex_unlock(&M);
}

/* Takes the events recorded since the last call: lines "S <hex>" and "C <operation>". */
const char *lg_take_events(void)
{
	static char *taken;

	pthread_mutex_lock(&M);
	free(taken);
	taken = strdup(events ? events : "");
	events_len = 0;
	if (events)
		events[0] = 0;
	pthread_mutex_unlock(&M);
	return taken;
}

void lg_deliver(const u8 *bytes, u32 len)
{
	pthread_mutex_lock(&M);
	on_msg_dpc(bytes, len);
	settle();
	pthread_mutex_unlock(&M);
}

u32 lg_op_start(int kind, void *chan, void *buf, u32 a, u32 b, void *gpadl)
{
	struct lg_op *op = calloc(1, sizeof(*op));

	if (!op)
		return 0;
	pthread_mutex_lock(&M);
	if (nops + 1 >= cap_ops) {
		cap_ops = cap_ops ? cap_ops * 2 : 256;
		ops = realloc(ops, cap_ops * sizeof(*ops));
		if (!ops)
			lg_bug(__FILE__, __LINE__);
	}
	op->id = ++nops;
	ops[op->id] = op;
	op->kind = kind;
	op->chan = chan;
	op->buf = buf;
	op->a = a;
	op->b = b;
	op->gen = generation;
	op->gpadl = gpadl ? gpadl : calloc(1, sizeof(struct vmbus_gpadl));
	spawn(run_op, op);
	settle();
	pthread_mutex_unlock(&M);
	return op->id;
}

/* done, ret, and for a create the GPADL handle and the struct vmbus_gpadl the driver keeps. */
int lg_op_info(u32 id, int *done, int *ret, u32 *gpadl_handle, void **gpadl)
{
	int ok = 0;

	pthread_mutex_lock(&M);
	if (id >= 1 && id <= nops) {
		struct lg_op *op = ops[id];

		*done = op->done;
		*ret = op->ret;
		*gpadl_handle = op->gpadl ? op->gpadl->gpadl_handle : 0;
		*gpadl = op->gpadl;
		ok = 1;
	}
	pthread_mutex_unlock(&M);
	return ok;
}

/* The channel Linux has for a relid once its device is registered (probe done), or NULL. */
void *lg_find_channel(u32 relid)
{
	struct vmbus_channel *ch = NULL;
	struct lg_device *d;

	pthread_mutex_lock(&M);
	if (relid < MAX_CHANNEL_RELIDS && vmbus_connection.channels)
		ch = vmbus_connection.channels[relid];
	if (ch) {
		d = device_of(ch);
		if (!d || d->removed || !ch->probe_done)
			ch = NULL;
	}
	pthread_mutex_unlock(&M);
	return ch;
}

/* state: enum vmbus_channel_state; rescind; removed (RELID_RELEASED sent); the ring GPADL. */
void lg_channel_info(void *chan, int *state, int *rescind, int *removed, u32 *ring_gpadl, u32 *relid)
{
	struct vmbus_channel *ch = chan;
	struct lg_device *d;

	pthread_mutex_lock(&M);
	d = device_of(ch);
	*state = ch->state;
	*rescind = ch->rescind;
	*removed = d ? d->removed : 1;
	*ring_gpadl = ch->ringbuffer_gpadlhandle.gpadl_handle;
	*relid = ch->offermsg.child_relid;
	pthread_mutex_unlock(&M);
}

void lg_set_driver(void *chan, int bound)
{
	struct lg_device *d;

	pthread_mutex_lock(&M);
	d = device_of(chan);
	if (d)
		d->driver_bound = bound;
	pthread_mutex_unlock(&M);
}

/* Guest memory for buffers: page-aligned, each page with its own PFN. */
void *lg_mem_alloc(u32 npages)
{
	struct region *r;

	pthread_mutex_lock(&M);
	r = region_new(npages);
	pthread_mutex_unlock(&M);
	return r ? r->virt : NULL;
}

int lg_mem_pfns(void *addr, u32 npages, u64 *out)
{
	size_t i, k;
	struct region *r;
	int ok = 1;

	pthread_mutex_lock(&M);
	for (k = 0; k < npages; k++) {
		r = region_of((u8 *)addr + k * PAGE_SIZE, &i);
		if (!r) {
			ok = 0;
			break;
		}
		out[k] = r->pfns[i];
	}
	pthread_mutex_unlock(&M);
	return ok;
}

void *lg_pfn_to_virt(u64 pfn)
{
	void *v;

	pthread_mutex_lock(&M);
	v = pfn_page(pfn);
	pthread_mutex_unlock(&M);
	return v;
}

u32 lg_sizeof_gpadl(void) { return sizeof(struct vmbus_gpadl); }

__attribute__((constructor)) static void lg_init(void)
{
	pthread_mutex_lock(&M);
	connection_init();
	pthread_mutex_unlock(&M);
}
