/*
 * sundials4j coroutines: a second native stack per solver, so CVODES can run with Java in control.
 *
 * Why: a C->Java upcall costs ~150 ns on JDK 17, a Java->C downcall ~10 ns. CVODES runs on its
 * own stack; when it needs a callback evaluated, the shim yields back to the JNI call Java made,
 * Java evaluates the model and resumes CVODES with the result. Each evaluation then costs one
 * downcall and two stack switches instead of an upcall.
 *
 * The switch is hand-written: swapcontext makes a sigprocmask syscall per switch, and longjmp
 * onto another stack is what _FORTIFY_SOURCE's longjmp_chk aborts on. It returns with pop + jmp,
 * not ret: a ret would always miss the return-stack predictor (the call came from the other
 * stack), which measured 25-28 ns per round trip against 12-17 ns with the jump.
 *
 * Nothing here knows about CVODES: sundials4j_glue.h runs its jobs on these coroutines. It is
 * compiled into the JNI library only (never parsed by JavaCPP), and is usable only where
 * S4J_HAVE_COROUTINES is 1; elsewhere s4j_coro_new returns NULL and callers keep the upcall path.
 */
#ifndef SUNDIALS4J_COROUTINE_H
#define SUNDIALS4J_COROUTINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__x86_64__) && defined(__linux__) && !defined(_WIN32)
#define S4J_HAVE_COROUTINES 1
#else
#define S4J_HAVE_COROUTINES 0
#endif

typedef struct S4jCoro S4jCoro;

/* The code a coroutine runs. It must never return: it yields forever instead. */
typedef void (*S4jCoroBody)(S4jCoro* co, void* arg);

struct S4jCoro {
  void* sp;        /* saved stack pointer of the coroutine while it is suspended        */
  void* caller_sp; /* saved stack pointer of the thread stack that entered it          */
  char* map;       /* the mapping: guard page, then the stack                           */
  size_t map_len;
  S4jCoroBody body;
  void* arg;
};

#if S4J_HAVE_COROUTINES

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#define S4J_CORO_STACK (8u << 20) /* reserved, not committed: pages are touched only as used */

#ifdef __cplusplus
extern "C" {
#endif
/* Saves the callee-saved state on the current stack, stores the stack pointer in *save and
 * continues on the stack whose pointer is `load` (saved there by an earlier switch). */
void s4j_ctx_switch(void** save, void* load);
/* First frame of a new coroutine: calls r13(r12) and must never return. */
void s4j_ctx_trampoline(void);
#ifdef __cplusplus
}
#endif

/* Weak and hidden: this header may be compiled into several objects of one library. The frame
 * below the saved stack pointer is 8 bytes of MXCSR + x87 control word, then r15..r12, rbx, rbp
 * and the return address. MXCSR and the x87 control word are callee-saved in the SysV ABI. */
__asm__(".pushsection .text\n"
        ".weak s4j_ctx_switch\n"
        ".hidden s4j_ctx_switch\n"
        ".type s4j_ctx_switch,@function\n"
        "s4j_ctx_switch:\n"
        "  pushq %rbp\n"
        "  pushq %rbx\n"
        "  pushq %r12\n"
        "  pushq %r13\n"
        "  pushq %r14\n"
        "  pushq %r15\n"
        "  subq $8, %rsp\n"
        "  stmxcsr (%rsp)\n"
        "  fnstcw 4(%rsp)\n"
        "  movq %rsp, (%rdi)\n"
        "  movq %rsi, %rsp\n"
        "  ldmxcsr (%rsp)\n"
        "  fldcw 4(%rsp)\n"
        "  addq $8, %rsp\n"
        "  popq %r15\n"
        "  popq %r14\n"
        "  popq %r13\n"
        "  popq %r12\n"
        "  popq %rbx\n"
        "  popq %rbp\n"
        "  popq %r8\n"
        "  jmpq *%r8\n"
        ".size s4j_ctx_switch, .-s4j_ctx_switch\n"
        ".weak s4j_ctx_trampoline\n"
        ".hidden s4j_ctx_trampoline\n"
        ".type s4j_ctx_trampoline,@function\n"
        "s4j_ctx_trampoline:\n"
        "  .cfi_startproc\n"
        "  .cfi_undefined rip\n" /* unwinders and debuggers stop here, not in garbage */
        "  movq %r12, %rdi\n"
        "  movq %r14, %rsi\n"
        "  callq *%r13\n"
        "  ud2\n"
        "  .cfi_endproc\n"
        ".size s4j_ctx_trampoline, .-s4j_ctx_trampoline\n"
        ".popsection\n");

/* The coroutine this thread is currently running, NULL on a thread stack. Initial-exec: the
 * default model for a dlopen'ed library calls __tls_get_addr on each of the three accesses per
 * callback; a pointer fits the static TLS surplus glibc keeps for such libraries. */
static __thread S4jCoro* s4j_coro_running __attribute__((tls_model("initial-exec"))) = NULL;

/* Out of line on purpose: a coroutine may be resumed by another thread than the one it last ran
 * on, and an inlined TLS access could reuse a thread-local address computed before a switch. */
static __attribute__((noinline)) S4jCoro* s4j_coro_current(void) { return s4j_coro_running; }

static void s4j_coro_start_on_new_stack(S4jCoro* co)
{
  uintptr_t top  = ((uintptr_t)(co->map + co->map_len)) & ~(uintptr_t)15;
  uint64_t* f    = (uint64_t*)(top - 80); /* 16-aligned, so the trampoline's call is ABI-aligned */
  uint32_t mxcsr = 0;
  uint16_t fpucw = 0;
  __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
  __asm__ volatile("fnstcw %0" : "=m"(fpucw));
  f[0] = (uint64_t)mxcsr | ((uint64_t)fpucw << 32);
  f[1] = 0;                               /* r15 */
  f[2] = (uint64_t)(uintptr_t)co->arg;    /* r14: second argument of the body */
  f[3] = (uint64_t)(uintptr_t)co->body;   /* r13: the body                    */
  f[4] = (uint64_t)(uintptr_t)co;         /* r12: first argument of the body  */
  f[5] = 0;                               /* rbx */
  f[6] = 0;                               /* rbp */
  f[7] = (uint64_t)(uintptr_t)&s4j_ctx_trampoline;
  co->sp = f;
}

/* A suspended coroutine that will run body(co, arg) when first entered; NULL when out of memory. */
/*
 * A few freed stacks are kept for the next solver. Why: munmap in a multi-threaded JVM shoots down
 * TLB entries on every CPU running one of its threads, and mmap + mprotect + the first-touch page
 * faults come on top; together they were a large part of creating and closing a solver. A kept
 * stack holds only the pages its last run touched (tens of KiB), so the pool costs little memory.
 */
#define S4J_STACK_POOL 8
static pthread_mutex_t s4j_stack_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static char* s4j_stack_pool[S4J_STACK_POOL];
static int s4j_stack_pool_size = 0;

static size_t s4j_stack_map_len(void)
{
  return S4J_CORO_STACK + (size_t)sysconf(_SC_PAGESIZE);
}

/* A stack mapping with its guard page: from the pool, else freshly mapped; NULL when out of memory. */
static char* s4j_stack_take(void)
{
  char* map = NULL;
  pthread_mutex_lock(&s4j_stack_pool_lock);
  if (s4j_stack_pool_size > 0) { map = s4j_stack_pool[--s4j_stack_pool_size]; }
  pthread_mutex_unlock(&s4j_stack_pool_lock);
  if (map != NULL) { return map; }
  size_t len = s4j_stack_map_len();
  void* m    = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) { return NULL; }
  /* stacks grow down: an overflow hits this page and faults instead of corrupting the heap */
  if (mprotect(m, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE) != 0)
  {
    munmap(m, len);
    return NULL;
  }
  return (char*)m;
}

/* Returns a stack to the pool, or unmaps it when the pool is full. */
static void s4j_stack_give(char* map)
{
  pthread_mutex_lock(&s4j_stack_pool_lock);
  int kept = s4j_stack_pool_size < S4J_STACK_POOL;
  if (kept) { s4j_stack_pool[s4j_stack_pool_size++] = map; }
  pthread_mutex_unlock(&s4j_stack_pool_lock);
  if (!kept) { munmap(map, s4j_stack_map_len()); }
}

static S4jCoro* s4j_coro_new(S4jCoroBody body, void* arg)
{
  size_t len = s4j_stack_map_len();
  char* map  = s4j_stack_take();
  if (map == NULL) { return NULL; }
  S4jCoro* co = (S4jCoro*)calloc(1, sizeof(S4jCoro));
  if (co == NULL)
  {
    s4j_stack_give(map);
    return NULL;
  }
  co->map     = (char*)map;
  co->map_len = len;
  co->body    = body;
  co->arg     = arg;
  s4j_coro_start_on_new_stack(co);
  return co;
}

/* Frees the stack. Whatever the coroutine was doing is discarded without running further. */
static void s4j_coro_free(S4jCoro* co)
{
  if (co == NULL) { return; }
  s4j_stack_give(co->map);
  free(co);
}

/* Runs co on this thread until it yields. Nests: a coroutine's caller may itself enter others. */
static void s4j_coro_enter(S4jCoro* co)
{
  S4jCoro* outer    = s4j_coro_running;
  s4j_coro_running  = co;
  s4j_ctx_switch(&co->caller_sp, co->sp);
  s4j_coro_running  = outer;
}

/* From inside co: back to whoever entered it; returns when it is entered again. */
static void s4j_coro_yield(S4jCoro* co) { s4j_ctx_switch(&co->sp, co->caller_sp); }

#else /* no hand-written switch for this platform: everything runs on the thread stack */

static S4jCoro* s4j_coro_new(S4jCoroBody body, void* arg) { (void)body; (void)arg; return NULL; }
static void s4j_coro_free(S4jCoro* co) { (void)co; }
static S4jCoro* s4j_coro_current(void) { return NULL; }
static void s4j_coro_enter(S4jCoro* co) { (void)co; }
static void s4j_coro_yield(S4jCoro* co) { (void)co; }

#endif
#endif
