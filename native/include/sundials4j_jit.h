/*
 * sundials4j replay JIT: a program's four sweeps (values, linearise, tangent, reverse) compiled to
 * x86-64 machine code once per upload, so that an evaluation runs straight-line code instead of the
 * interpreter's load-dispatch-branch per instruction (sundials4j_replay.h; README "Native replay").
 *
 * Bits. The compiled code repeats the interpreter's operations in the same order and takes the same
 * values in and out of the same work arrays. An operation is inlined only where the interpreter's
 * expression is exactly one SSE2 scalar instruction (+ - * / of two slots or a slot and the
 * instruction's constant, a negation as a sign-bit xor, a square, the partials 1/b, -r/b, 2a and the
 * copies of a product's operands); every other scalar operation calls the interpreter's own C function
 * (rp_apply, rp_linearize_op) and every block or select instruction the interpreter's own
 * rp_*_special, so no libm call, special case or branch decision can differ. The tangent's
 * "da == 0 ? 0.0 : pa * da" and "if (db != 0) t += pb * db" become masks (cmpneqsd: true for NaN, like
 * C's !=; a masked term is +0.0, the interpreter's 0.0, and a skipped db keeps t as it was, -0.0
 * included); the reverse sweep keeps "if (g == 0) continue" as a branch, with NaN (parity set) not
 * skipped. Constant partials are never folded into the code: a product 1.0 * g is still multiplied.
 *
 * Memory. The code is written into an anonymous private mapping while it is writable, then the
 * mapping is made executable and read-only (W^X); the S4jProgram owns it and unmaps it when it is
 * freed or reloaded. Anything that stops the compilation (not an x86-64 Linux build, mmap or mprotect
 * refused, a program that writes a slot twice (never recorded by the tape), a program whose slot
 * offsets do not fit the 32-bit displacements or whose code would pass S4J_JIT_MAX_CODE) leaves
 * p->jit NULL: the interpreter runs the program, and s4j_replay_jitted tells
 * Java, whose ReplayStatistics.path() says "native-interpreter".
 *
 * Calling convention of the compiled sweeps (S4jJitSweep): rdi = program, rsi = v, rdx = pa,
 * rcx = pb, r8 = dot or bar, r9d = the passive flag. They keep v in rbx, pa in rbp, pb in r13, dot or
 * bar in r14, the constants in r15, the program in r12 (all callee-saved, so they survive the helper
 * calls) and the flag at [rsp]; operands go through xmm0-xmm3.
 */
#ifndef SUNDIALS4J_JIT_H
#define SUNDIALS4J_JIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__)
#include <sys/mman.h>
#define S4J_JIT_SUPPORTED 1
#else
#define S4J_JIT_SUPPORTED 0
#endif

/* Programs whose code would pass this stay interpreted (about 300 bytes per instruction). */
#define S4J_JIT_MAX_CODE ((size_t)64 << 20)

typedef void (*S4jJitSweep)(const S4jProgram* p, double* v, double* pa, double* pb, double* x, int flag);
/* rp_*_special's signature: program, instruction offset q, v, pa, dot or bar, flag */
typedef void (*S4jJitSpecial)(const S4jProgram* p, int q, double* v, double* pa, double* x, int flag);

struct S4jJit {
  void* mem;
  size_t size;
  S4jJitSweep values, linearize, tangent, reverse;
};

static void rp_jit_free(struct S4jJit* j)
{
  if (j == NULL) { return; }
#if S4J_JIT_SUPPORTED
  munmap(j->mem, j->size);
#endif
  free(j);
}

#if S4J_JIT_SUPPORTED

/* ---- an x86-64 emitter for the few instructions the sweeps need ------------------------------ */

typedef struct RpAsm {
  uint8_t* b;
  size_t len, cap;
  int failed;
  int v, pa, pb, x, c; /* the registers of the sweep being emitted (ja_prologue) */
  int cached;          /* the slot whose value (v, or dot in the tangent) xmm0 holds, or -1 */
} RpAsm;

static void ja_byte(RpAsm* a, int x)
{
  if (a->len == a->cap)
  {
    size_t cap = a->cap == 0 ? 4096 : 2 * a->cap;
    uint8_t* b = cap > S4J_JIT_MAX_CODE ? NULL : (uint8_t*)realloc(a->b, cap);
    if (b == NULL)
    {
      a->failed = 1;
      a->len    = 0; /* keep writing over the start: the result is thrown away */
      return;
    }
    a->b   = b;
    a->cap = cap;
  }
  a->b[a->len++] = (uint8_t)x;
}

static void ja_i32(RpAsm* a, int32_t x)
{
  uint32_t u = (uint32_t)x;
  for (int i = 0; i < 4; i++) { ja_byte(a, (int)((u >> (8 * i)) & 0xff)); }
}

static void ja_u64(RpAsm* a, uint64_t x)
{
  for (int i = 0; i < 8; i++) { ja_byte(a, (int)((x >> (8 * i)) & 0xff)); }
}

static void ja_seq(RpAsm* a, const uint8_t* s, int n)
{
  for (int i = 0; i < n; i++) { ja_byte(a, s[i]); }
}

enum { JA_RAX = 0, JA_RCX = 1, JA_RDX = 2, JA_RBX = 3, JA_RBP = 5, JA_RSI = 6, JA_RDI = 7, JA_R8 = 8,
       JA_R12 = 12, JA_R13 = 13, JA_R14 = 14, JA_R15 = 15 };
enum { JA_R11 = 11 };
/* the sweeps' arrays: registers of the function being emitted (every emitter has its RpAsm* a) */
#define JA_V (a->v)
#define JA_PA (a->pa)
#define JA_PB (a->pb)
#define JA_X (a->x)
#define JA_C (a->c)
#define JA_P JA_R12 /* the program, for the helpers: only in functions that call */

/* SSE2 opcodes (second byte after 0F) with their mandatory prefix */
#define JA_F2 0xF2
#define JA_66 0x66
enum { JA_MOVSD_LOAD = 0x10, JA_MOVSD_STORE = 0x11, JA_ADDSD = 0x58, JA_MULSD = 0x59, JA_SUBSD = 0x5C,
       JA_DIVSD = 0x5E, JA_UCOMISD = 0x2E, JA_XORPD = 0x57, JA_ANDPD = 0x54, JA_ANDNPD = 0x55, JA_ORPD = 0x56,
       JA_MOVAPD = 0x28, JA_CMPSD = 0xC2 };

/* op xmm, [base + disp32] (or the store movsd [base + disp32], xmm). base is never rsp or r12, which
 * would need a SIB byte. */
static void ja_mem(RpAsm* a, int prefix, int op, int xmm, int base, int32_t disp)
{
  ja_byte(a, prefix);
  if (base >= 8) { ja_byte(a, 0x41); }
  ja_byte(a, 0x0F);
  ja_byte(a, op);
  ja_byte(a, 0x80 | (xmm << 3) | (base & 7));
  ja_i32(a, disp);
}

/* op xmm_dst, xmm_src */
static void ja_reg(RpAsm* a, int prefix, int op, int dst, int src)
{
  ja_byte(a, prefix);
  ja_byte(a, 0x0F);
  ja_byte(a, op);
  ja_byte(a, 0xC0 | (dst << 3) | src);
}

/* slot s of the array in base: the byte offset as a displacement */
static inline int32_t ja_slot(int s) { return (int32_t)(8 * s); }

static void ja_load(RpAsm* a, int xmm, int base, int slot) { ja_mem(a, JA_F2, JA_MOVSD_LOAD, xmm, base, ja_slot(slot)); }
static void ja_store(RpAsm* a, int base, int slot, int xmm) { ja_mem(a, JA_F2, JA_MOVSD_STORE, xmm, base, ja_slot(slot)); }
static void ja_arith(RpAsm* a, int op, int xmm, int base, int slot) { ja_mem(a, JA_F2, op, xmm, base, ja_slot(slot)); }

/* movabs r64, imm64 */
static void ja_movabs(RpAsm* a, int reg, uint64_t x)
{
  ja_byte(a, 0x48 | (reg >= 8 ? 1 : 0));
  ja_byte(a, 0xB8 + (reg & 7));
  ja_u64(a, x);
}

/* xmm = the double with these bits (movabs rax; movq xmm, rax) */
static void ja_const(RpAsm* a, int xmm, uint64_t bits)
{
  ja_movabs(a, JA_RAX, bits);
  const uint8_t movq[] = {0x66, 0x48, 0x0F, 0x6E, (uint8_t)(0xC0 | (xmm << 3))};
  ja_seq(a, movq, 5);
}

#define JA_SIGN 0x8000000000000000ULL
#define JA_ONE 0x3FF0000000000000ULL /* 1.0 */
#define JA_TWO 0x4000000000000000ULL /* 2.0 */

/* mov dst, src (64-bit registers) */
static void ja_mov(RpAsm* a, int dst, int src)
{
  ja_byte(a, 0x48 | (src >= 8 ? 4 : 0) | (dst >= 8 ? 1 : 0));
  ja_byte(a, 0x89);
  ja_byte(a, 0xC0 | ((src & 7) << 3) | (dst & 7));
}

/* mov r32, imm32 */
static void ja_imm32(RpAsm* a, int reg, int32_t x)
{
  if (reg >= 8) { ja_byte(a, 0x41); }
  ja_byte(a, 0xB8 + (reg & 7));
  ja_i32(a, x);
}

/* call the C function at addr (movabs rax; call rax): absolute, so the code may live anywhere. The
 * call clobbers xmm0, so no slot is cached after it (a caller that gets its result back in xmm0 says
 * which slot that is). */
static void ja_call(RpAsm* a, uintptr_t addr)
{
  ja_movabs(a, JA_RAX, (uint64_t)addr);
  ja_byte(a, 0xFF);
  ja_byte(a, 0xD0);
  a->cached = -1;
}

/* A sweep that calls no C function (every instruction inline: all of a scalar program's tangent and
 * reverse sweeps, and its values and linearisation when it has only arithmetic) is a leaf: it keeps
 * the arrays in the argument registers and the constants in r11 (all caller-saved), and saves and
 * restores nothing. The others keep them in callee-saved registers across the helper calls. */
static void ja_prologue(RpAsm* a, const S4jProgram* p, int leaf)
{
  a->cached = -1;
  const uint8_t endbr64[] = {0xF3, 0x0F, 0x1E, 0xFA}; /* a valid indirect-call target under CET; a no-op elsewhere */
  ja_seq(a, endbr64, sizeof endbr64);
  if (leaf)
  {
    a->v  = JA_RSI;
    a->pa = JA_RDX;
    a->pb = JA_RCX;
    a->x  = JA_R8;
    a->c  = JA_R11;
    ja_movabs(a, JA_C, (uint64_t)(uintptr_t)p->cst);
    return;
  }
  a->v  = JA_RBX;
  a->pa = JA_RBP;
  a->pb = JA_R13;
  a->x  = JA_R14;
  a->c  = JA_R15;
  /* push rbx, rbp, r12-r15; sub rsp, 24 (the stack stays 16-byte aligned at the helper calls) */
  const uint8_t push[] = {0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57, 0x48, 0x83, 0xEC, 0x18};
  ja_seq(a, push, sizeof push);
  ja_mov(a, JA_P, JA_RDI);
  ja_mov(a, JA_V, JA_RSI);
  ja_mov(a, JA_PA, JA_RDX);
  ja_mov(a, JA_PB, JA_RCX);
  ja_mov(a, JA_X, JA_R8);
  const uint8_t flag[] = {0x44, 0x89, 0x0C, 0x24}; /* mov [rsp], r9d */
  ja_seq(a, flag, sizeof flag);
  ja_movabs(a, JA_C, (uint64_t)(uintptr_t)p->cst); /* the program's constants: fixed for its life */
}

static void ja_epilogue(RpAsm* a, int leaf)
{
  if (leaf)
  {
    ja_byte(a, 0xC3);
    return;
  }
  const uint8_t pop[] = {0x48, 0x83, 0xC4, 0x18, 0x41, 0x5F, 0x41, 0x5E, 0x41, 0x5D, 0x41, 0x5C, 0x5D, 0x5B, 0xC3};
  ja_seq(a, pop, sizeof pop);
}

/* rp_*_special(p, q, v, pa, x, flag) for the block or select instruction at code offset q */
static void ja_special(RpAsm* a, S4jJitSpecial f, int q)
{
  ja_mov(a, JA_RDI, JA_P);
  ja_imm32(a, JA_RSI, q);
  ja_mov(a, JA_RDX, JA_V);
  ja_mov(a, JA_RCX, JA_PA);
  ja_mov(a, JA_R8, JA_X);
  const uint8_t flag[] = {0x44, 0x8B, 0x0C, 0x24}; /* mov r9d, [rsp] */
  ja_seq(a, flag, sizeof flag);
  ja_call(a, (uintptr_t)f);
}

/* xmm r = base[slot], copied from xmm0 when it holds that slot (the previous instruction's result:
 * the same bits without waiting for the store to reach the load) */
static void ja_get(RpAsm* a, int r, int base, int slot)
{
  if (slot == a->cached)
  {
    if (r != 0) { ja_reg(a, JA_66, JA_MOVAPD, r, 0); }
    return;
  }
  ja_load(a, r, base, slot);
}

/* xmm0 = base[sa], xmm1 = base[sb] (xmm1 first: it may come from xmm0) */
static void ja_two(RpAsm* a, int base, int sa, int sb)
{
  ja_get(a, 1, base, sb);
  ja_get(a, 0, base, sa);
}

/* xmm0 = v[a], xmm1 = v[b], xmm2 = cst[k], edi = op: the arguments of rp_apply and rp_linearize_op */
static void ja_scalar_args(RpAsm* a, int op, int k, int sa, int sb)
{
  ja_two(a, JA_V, sa, sb);
  ja_load(a, 2, JA_C, k);
  ja_imm32(a, JA_RDI, op);
}

/* The value of an instruction the interpreter spells out, into xmm0 (rp_values' cases); 0 when the
 * interpreter calls rp_apply for it. xmm1 may be overwritten. */
static int ja_inline_value(RpAsm* a, int op, int k, int sa, int sb)
{
  switch (op)
  {
  case RP_ADD: case RP_SUB: case RP_MUL: case RP_DIV: {
    static const int sse[] = {JA_ADDSD, JA_SUBSD, JA_MULSD, JA_DIVSD};
    ja_two(a, JA_V, sa, sb);
    ja_reg(a, JA_F2, sse[op], 0, 1);
    return 1;
  }
  case RP_ADD_C: ja_get(a, 0, JA_V, sa); ja_arith(a, JA_ADDSD, 0, JA_C, k); return 1;
  case RP_MUL_C: ja_get(a, 0, JA_V, sa); ja_arith(a, JA_MULSD, 0, JA_C, k); return 1;
  case RP_DIV_C: ja_get(a, 0, JA_V, sa); ja_arith(a, JA_DIVSD, 0, JA_C, k); return 1;
  case RP_RSUB_C: case RP_RDIV_C: /* c - a, c / a */
    ja_get(a, 1, JA_V, sa);
    ja_load(a, 0, JA_C, k);
    ja_reg(a, JA_F2, op == RP_RSUB_C ? JA_SUBSD : JA_DIVSD, 0, 1);
    return 1;
  case RP_NEG:
    ja_get(a, 0, JA_V, sa);
    ja_const(a, 1, JA_SIGN);
    ja_reg(a, JA_66, JA_XORPD, 0, 1);
    return 1;
  case RP_SQUARE: ja_get(a, 0, JA_V, sa); ja_reg(a, JA_F2, JA_MULSD, 0, 0); return 1;
  default: return 0;
  }
}

/* Whether a sweep calls no C function: no block or select instruction, and (values, linearisation)
 * only operations it inlines. */
static int ja_leaf(const S4jProgram* p, int linearize)
{
  for (int k = 0; k < p->ninstr; k++)
  {
    int op = p->code[4 * k];
    if (op >= RP_FIRST_SPECIAL) { return 0; }
    if (linearize < 0) { continue; } /* tangent and reverse inline every scalar operation */
    switch (op)
    {
    case RP_ADD: case RP_SUB: case RP_MUL: case RP_DIV: case RP_ADD_C: case RP_RSUB_C: case RP_MUL_C:
    case RP_DIV_C: case RP_RDIV_C: case RP_NEG: case RP_SQUARE: break;
    default: return 0;
    }
  }
  return 1;
}

/* rp_values */
static void ja_values(RpAsm* a, const S4jProgram* p)
{
  int leaf = ja_leaf(p, 0);
  ja_prologue(a, p, leaf);
  for (int k = 0; k < p->ninstr; k++)
  {
    const int* c = p->code + 4 * k;
    int op = c[0], out = c[1];
    if (op >= RP_FIRST_SPECIAL)
    {
      ja_special(a, rp_values_special, 4 * k);
      continue;
    }
    if (!ja_inline_value(a, op, k, c[2], c[3]))
    {
      ja_scalar_args(a, op, k, c[2], c[3]);
      ja_call(a, (uintptr_t)rp_apply);
    }
    ja_store(a, JA_V, out, 0);
    a->cached = out;
  }
  ja_epilogue(a, leaf);
}

/* base[out] = -xmm_r / xmm_d (the partials -r / b of a quotient: C's (-r) / d, a sign flip then divsd) */
static void ja_minus_ratio(RpAsm* a, int r, int d, int base, int out)
{
  ja_const(a, 3, JA_SIGN);
  ja_reg(a, JA_66, JA_XORPD, 3, r);
  ja_reg(a, JA_F2, JA_DIVSD, 3, d);
  ja_store(a, base, out, 3);
}

/* rp_linearize: the values and partials of rp_linearize_scalar / rp_linearize_op. The constant
 * partials of sums, differences, negations and constant-operand forms were set at upload
 * (rp_unit_partials), as the interpreter's scalar loop relies on. */
static void ja_linearize(RpAsm* a, const S4jProgram* p)
{
  int leaf = ja_leaf(p, 1);
  ja_prologue(a, p, leaf);
  for (int k = 0; k < p->ninstr; k++)
  {
    const int* c = p->code + 4 * k;
    int op = c[0], out = c[1], sa = c[2], sb = c[3];
    switch (op)
    {
    case RP_ADD: case RP_SUB: case RP_NEG: case RP_ADD_C: case RP_RSUB_C: case RP_MUL_C: case RP_DIV_C:
      ja_inline_value(a, op, k, sa, sb);
      ja_store(a, JA_V, out, 0);
      break;
    case RP_MUL: /* v = a * b, pa = b, pb = a */
      ja_two(a, JA_V, sa, sb);
      ja_reg(a, JA_66, JA_MOVAPD, 2, 0);
      ja_reg(a, JA_F2, JA_MULSD, 2, 1);
      ja_store(a, JA_V, out, 2);
      ja_store(a, JA_PA, out, 1);
      ja_store(a, JA_PB, out, 0);
      ja_reg(a, JA_66, JA_MOVAPD, 0, 2);
      break;
    case RP_DIV: /* r = a / b, pa = 1.0 / b, pb = -r / b */
      ja_two(a, JA_V, sa, sb);
      ja_reg(a, JA_F2, JA_DIVSD, 0, 1);
      ja_store(a, JA_V, out, 0);
      ja_const(a, 2, JA_ONE);
      ja_reg(a, JA_F2, JA_DIVSD, 2, 1);
      ja_store(a, JA_PA, out, 2);
      ja_minus_ratio(a, 0, 1, JA_PB, out);
      break;
    case RP_RDIV_C: /* r = c / a, pa = -r / a */
      ja_get(a, 1, JA_V, sa);
      ja_load(a, 0, JA_C, k);
      ja_reg(a, JA_F2, JA_DIVSD, 0, 1);
      ja_store(a, JA_V, out, 0);
      ja_minus_ratio(a, 0, 1, JA_PA, out);
      break;
    case RP_SQUARE: /* v = a * a, pa = 2.0 * a */
      ja_get(a, 0, JA_V, sa);
      ja_reg(a, JA_66, JA_MOVAPD, 1, 0);
      ja_reg(a, JA_F2, JA_MULSD, 1, 0);
      ja_store(a, JA_V, out, 1);
      ja_const(a, 2, JA_TWO);
      ja_reg(a, JA_F2, JA_MULSD, 2, 0);
      ja_store(a, JA_PA, out, 2);
      ja_reg(a, JA_66, JA_MOVAPD, 0, 1);
      break;
    default:
      if (op >= RP_FIRST_SPECIAL)
      {
        ja_special(a, rp_linearize_special, 4 * k);
        continue;
      }
      /* rp_linearize_op(op, a, b, c, v, pa, pb, out) */
      ja_scalar_args(a, op, k, sa, sb);
      ja_mov(a, JA_RSI, JA_V);
      ja_mov(a, JA_RDX, JA_PA);
      ja_mov(a, JA_RCX, JA_PB);
      ja_imm32(a, JA_R8, out);
      ja_call(a, (uintptr_t)rp_linearize_op);
      continue; /* it stores its results itself */
    }
    a->cached = out; /* every inline case leaves v[out] in xmm0 */
  }
  ja_epilogue(a, leaf);
}

/* rp_tangent: t = da == 0 ? 0.0 : pa * da; binary: if (db != 0) t += pb * db; dot[out] = t */
static void ja_tangent(RpAsm* a, const S4jProgram* p)
{
  int leaf = ja_leaf(p, -1);
  ja_prologue(a, p, leaf);
  for (int k = 0; k < p->ninstr; k++)
  {
    const int* c = p->code + 4 * k;
    int op = c[0], out = c[1];
    if (op >= RP_FIRST_SPECIAL)
    {
      ja_special(a, rp_tangent_special, 4 * k);
      continue;
    }
    int binary = op <= RP_LAST_BINARY;
    if (binary) { ja_get(a, 2, JA_X, c[3]); } /* db, before xmm0 changes */
    ja_get(a, 0, JA_X, c[2]);              /* da */
    ja_reg(a, JA_66, JA_XORPD, 3, 3);      /* xmm3 = +0.0 */
    ja_reg(a, JA_66, JA_MOVAPD, 1, 0);
    ja_reg(a, JA_F2, JA_CMPSD, 1, 3);      /* mask: da != 0 (NaN included) */
    ja_byte(a, 4);
    ja_arith(a, JA_MULSD, 0, JA_PA, out);  /* pa * da */
    ja_reg(a, JA_66, JA_ANDPD, 0, 1);      /* t: the product, or +0.0 */
    if (binary)
    {
      ja_reg(a, JA_66, JA_MOVAPD, 1, 2);
      ja_reg(a, JA_F2, JA_CMPSD, 1, 3);    /* mask: db != 0 */
      ja_byte(a, 4);
      ja_arith(a, JA_MULSD, 2, JA_PB, out); /* pb * db */
      ja_reg(a, JA_F2, JA_ADDSD, 2, 0);    /* t + pb * db */
      ja_reg(a, JA_66, JA_ANDPD, 2, 1);    /* the sum where db != 0 ... */
      ja_reg(a, JA_66, JA_ANDNPD, 1, 0);   /* ... t where db == 0 */
      ja_reg(a, JA_66, JA_ORPD, 2, 1);
      ja_reg(a, JA_66, JA_MOVAPD, 0, 2);
    }
    ja_store(a, JA_X, out, 0);
    a->cached = out;
  }
  ja_epilogue(a, leaf);
}

/* A forward conditional jump (0F 8x rel32) to be patched by ja_land; returns the patch position. */
static size_t ja_jump(RpAsm* a, int cc)
{
  ja_byte(a, 0x0F);
  ja_byte(a, 0x80 | cc);
  size_t at = a->len;
  ja_i32(a, 0);
  return at;
}

/* The jump at `at` lands here. */
static void ja_land(RpAsm* a, size_t at)
{
  if (a->failed) { return; }
  int32_t rel = (int32_t)(a->len - (at + 4));
  memcpy(a->b + at, &rel, sizeof rel);
}

#define JA_JE 0x4
#define JA_JP 0xA
#define JA_JNP 0xB

/* bar[slot] += pb_or_pa[out] * g (g in xmm0), through xmm r */
static void ja_accumulate(RpAsm* a, int r, int partials, int out, int slot)
{
  ja_load(a, r, partials, out);
  ja_reg(a, JA_F2, JA_MULSD, r, 0);
  ja_arith(a, JA_ADDSD, r, JA_X, slot);
  ja_store(a, JA_X, slot, r);
}

/* rp_reverse: g = bar[out]; if (g == 0) skip; bar[a] += pa * g; bar[b] += pb * g (unary ones too, as
 * in the interpreter). Compiled programs have a single writer per slot (rp_single_writer), so two
 * updates are shortened without changing a bit, because an adjoint is never -0.0 (every adjoint starts at +0.0 and is only
 * ever added to, and a sum is -0.0 only when both terms are):
 * - a sum's or difference's partials are exactly ±1, and bar + 1.0 * g is bar + g, bar + -1.0 * g is
 *   bar - g (also for NaN g, whose payload a product by ±1 passes on unchanged);
 * - a unary or constant-operand instruction's pb is 0, so its second update adds 0 * g = ±0.0 to an
 *   adjoint that is not -0.0: nothing, unless g is infinite or NaN (0 * g is NaN): only then is it
 *   made (g - g is NaN exactly then). */
static void ja_reverse(RpAsm* a, const S4jProgram* p)
{
  int leaf = ja_leaf(p, -1);
  ja_prologue(a, p, leaf);
  ja_reg(a, JA_66, JA_XORPD, 3, 3); /* xmm3 = +0.0 until a helper call */
  for (int k = p->ninstr - 1; k >= 0; k--)
  {
    const int* c = p->code + 4 * k;
    int op = c[0], out = c[1];
    if (op >= RP_FIRST_SPECIAL)
    {
      ja_special(a, rp_reverse_special, 4 * k);
      ja_reg(a, JA_66, JA_XORPD, 3, 3);
      continue;
    }
    ja_load(a, 0, JA_X, out);              /* g */
    ja_reg(a, JA_66, JA_UCOMISD, 0, 3);
    const uint8_t jp_over[] = {0x7A, 0x06}; /* jp over the je: NaN is not zero */
    ja_seq(a, jp_over, sizeof jp_over);
    size_t skip = ja_jump(a, JA_JE);
    if (op == RP_ADD || op == RP_SUB)
    {
      ja_load(a, 1, JA_X, c[2]);
      ja_reg(a, JA_F2, JA_ADDSD, 1, 0);
      ja_store(a, JA_X, c[2], 1);
      ja_load(a, 2, JA_X, c[3]);
      ja_reg(a, JA_F2, op == RP_ADD ? JA_ADDSD : JA_SUBSD, 2, 0);
      ja_store(a, JA_X, c[3], 2);
    }
    else
    {
      ja_accumulate(a, 1, JA_PA, out, c[2]);
      size_t finite = 0;
      if (op > RP_LAST_BINARY)
      {
        ja_reg(a, JA_66, JA_MOVAPD, 2, 0);
        ja_reg(a, JA_F2, JA_SUBSD, 2, 0);
        ja_reg(a, JA_66, JA_UCOMISD, 2, 2);
        finite = ja_jump(a, JA_JNP);
      }
      ja_accumulate(a, 2, JA_PB, out, c[3]);
      if (finite != 0) { ja_land(a, finite); }
    }
    ja_land(a, skip);
  }
  ja_epilogue(a, leaf);
}

/* The program's sweeps as machine code, or NULL (the interpreter runs it). */
static struct S4jJit* rp_jit_compile(const S4jProgram* p)
{
  /* a slot written twice keeps the interpreter, whose general loops write every partial each time */
  if (!p->single_writer || (size_t)p->slots > (size_t)INT32_MAX / 8 || (size_t)p->ninstr > (size_t)INT32_MAX / 8)
  {
    return NULL;
  }
  RpAsm a;
  memset(&a, 0, sizeof a);
  size_t start[4];
  start[0] = a.len;
  ja_values(&a, p);
  start[1] = a.len;
  ja_linearize(&a, p);
  start[2] = a.len;
  ja_tangent(&a, p);
  start[3] = a.len;
  ja_reverse(&a, p);
  struct S4jJit* j = a.failed ? NULL : (struct S4jJit*)calloc(1, sizeof(struct S4jJit));
  void* mem        = MAP_FAILED;
  if (j != NULL)
  {
    j->size = a.len;
    mem     = mmap(NULL, a.len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  }
  if (mem != MAP_FAILED)
  {
    memcpy(mem, a.b, a.len);
    if (mprotect(mem, a.len, PROT_READ | PROT_EXEC) != 0)
    {
      munmap(mem, a.len);
      mem = MAP_FAILED;
    }
  }
  free(a.b);
  if (mem == MAP_FAILED)
  {
    free(j);
    return NULL;
  }
  j->mem = mem;
  S4jJitSweep* sweeps[4] = {&j->values, &j->linearize, &j->tangent, &j->reverse};
  for (int i = 0; i < 4; i++)
  {
    void* entry = (uint8_t*)mem + start[i];
    memcpy(sweeps[i], &entry, sizeof entry); /* object to function pointer, without a cast C++ frowns on */
  }
  return j;
}

#else

static struct S4jJit* rp_jit_compile(const S4jProgram* p)
{
  (void)p;
  return NULL;
}

#endif

#endif
