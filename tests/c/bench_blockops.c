/*
 * Block products of the native replay against OpenBLAS (native/README.md, "Block products"):
 * y = W x + b and y = W^T x for row-major W, as rp_matvec computes them (plain loop: one row at a
 * time; BLOCK=1: four rows at a time, each row's sum in the same order) against cblas_dgemv of the
 * openblas preset's library, single-threaded; thread CPU ns per product (best of 5) and how many
 * results differ in bits from the loop.
 *   build: ob=target/openblas/org/bytedeco/openblas/linux-x86_64
 *          gcc -O3 -march=x86-64 tests/c/bench_blockops.c -o target/c/bench_blockops -L$ob -l:libopenblas.so.0 -Wl,-rpath,$ob -lm
 *   run:   target/c/bench_blockops; BLOCK=1 target/c/bench_blockops
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>
enum { RowMajor = 101 }; enum { NoTrans = 111, Trans = 112 };
void cblas_dgemv(int order, int trans, int m, int n, double alpha, const double* a, int lda, const double* x, int incx, double beta, double* y, int incy);
void openblas_set_num_threads(int);
#pragma GCC optimize("fp-contract=off")
static void loop(int tr, int m, int n, const double* w, const double* x, const double* b, double* y) {
  if (!tr && getenv("BLOCK")) { int i = 0; for (; i + 4 <= m; i += 4) { double a0 = b ? b[i] : 0, a1 = b ? b[i+1] : 0, a2 = b ? b[i+2] : 0, a3 = b ? b[i+3] : 0; const double* r0 = w + i*n, *r1 = r0+n, *r2 = r1+n, *r3 = r2+n; for (int j = 0; j < n; j++) { double xj = x[j]; a0 += r0[j]*xj; a1 += r1[j]*xj; a2 += r2[j]*xj; a3 += r3[j]*xj; } y[i]=a0; y[i+1]=a1; y[i+2]=a2; y[i+3]=a3; } for (; i < m; i++) { double acc = b ? b[i] : 0.0; const double* row = w + i * n; for (int j = 0; j < n; j++) acc += row[j] * x[j]; y[i] = acc; } }
  else if (!tr) { for (int i = 0; i < m; i++) { double acc = b ? b[i] : 0.0; const double* row = w + i * n; for (int j = 0; j < n; j++) acc += row[j] * x[j]; y[i] = acc; } }
  else if (getenv("BLOCK")) { for (int j = 0; j < n; j++) y[j] = 0.0; int i = 0;
    for (; i + 4 <= m; i += 4) { double x0 = x[i], x1 = x[i+1], x2 = x[i+2], x3 = x[i+3]; const double* r0 = w + i*n;
      if (x0 == 0 || x1 == 0 || x2 == 0 || x3 == 0) { for (int k = 0; k < 4; k++, r0 += n) { double xi = x[i+k]; if (xi == 0) continue; for (int j = 0; j < n; j++) y[j] += r0[j]*xi; } continue; }
      const double *r1 = r0+n, *r2 = r1+n, *r3 = r2+n; for (int j = 0; j < n; j++) { double d = y[j]; d += r0[j]*x0; d += r1[j]*x1; d += r2[j]*x2; d += r3[j]*x3; y[j] = d; } }
    for (; i < m; i++) { double xi = x[i]; if (xi == 0) continue; const double* row = w + i*n; for (int j = 0; j < n; j++) y[j] += row[j]*xi; } }
  else { for (int j = 0; j < n; j++) y[j] = 0.0; for (int i = 0; i < m; i++) { double xi = x[i]; if (xi == 0) continue; const double* row = w + i * n; for (int j = 0; j < n; j++) y[j] += row[j] * xi; } }
}
static double now(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
int main(void) {
  openblas_set_num_threads(1);
  int sizes[][2] = {{50,2},{2,50},{256,2},{2,256},{1024,2},{2,1024},{16,16},{32,32},{64,64},{128,128},{256,256},{512,512},{1024,1024}};
  for (int s = 0; s < (int)(sizeof sizes / sizeof sizes[0]); s++) {
    int m = sizes[s][0], n = sizes[s][1];
    double *w = malloc(8.0*m*n), *x = malloc(8*(m>n?m:n)), *b = malloc(8*(m>n?m:n)), *y1 = malloc(8*(m>n?m:n)), *y2 = malloc(8*(m>n?m:n));
    for (int i = 0; i < m*n; i++) w[i] = sin(i * 0.37);
    for (int i = 0; i < (m>n?m:n); i++) { x[i] = cos(i * 0.11); b[i] = 0.1 * i; }
    for (int tr = 0; tr < 2; tr++) {
      int reps = (int)(2e7 / (m*n)) + 1; double best[2] = {1e9, 1e9};
      int diff = 0; double maxrel = 0;
      for (int round = 0; round < 5; round++) {
        double t0 = now(); for (int r = 0; r < reps; r++) { loop(tr, m, n, w, x, tr ? NULL : b, y1); __asm__ volatile("" ::: "memory"); } double t1 = now();
        for (int r = 0; r < reps; r++) { int len = tr ? n : m; if (!tr) memcpy(y2, b, 8*len); cblas_dgemv(RowMajor, tr ? Trans : NoTrans, m, n, 1.0, w, n, x, 1, tr ? 0.0 : 1.0, y2, 1); __asm__ volatile("" ::: "memory"); } double t2 = now();
        if ((t1-t0)/reps < best[0]) best[0] = (t1-t0)/reps;
        if ((t2-t1)/reps < best[1]) best[1] = (t2-t1)/reps;
      }
      int len = tr ? n : m;
      for (int i = 0; i < len; i++) { if (y1[i] != y2[i]) diff++; double r = fabs(y1[i]-y2[i]) / (fabs(y1[i]) + 1e-300); if (r > maxrel) maxrel = r; }
      printf("%5d x %-5d %s loop %9.1f ns  dgemv %9.1f ns  ratio loop/blas %5.2f  differing %d/%d max rel %.1e\n", m, n, tr ? "W^T x" : "W x  ", best[0]*1e9, best[1]*1e9, best[0]/best[1], diff, len, maxrel);
    }
  }
}
