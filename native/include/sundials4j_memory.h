/*
 * What the adjoint's storage holds on the C heap, and glibc's own count of the heap in use.
 *
 * CVODES keeps, for an adjoint run, a list of checkpoints (each a record and its Nordsieck vectors,
 * and those of the quadratures when they are in the error test) and a fixed array of interpolation
 * data points (a record, a content record and one or two vectors each). Every N_Vector it stores is
 * an N_VClone: four heap blocks (the vector, its operations table, its content, its data), so for
 * small n the bookkeeping outweighs the data. The functions below count those blocks as glibc's
 * malloc does (chunk sizes: usable size plus the size word), from CVODES' own checkpoint list
 * (CVodeGetAdjCheckPointsInfo: each record's address and order) and from real clones of the vectors
 * CVODES clones, so that nothing is estimated from a guessed layout but the two small data-point
 * records (cvodea_impl.h of SUNDIALS 7.1.1: CVdtpntMemRec {t, content}; CVhermiteDataMemRec
 * {y, yd, yS, ySd}; CVpolynomialDataMemRec {y, yS, order}).
 *
 * s4j_heap_in_use is mallinfo2's uordblks + hblkhd over all arenas: the independent measurement the
 * tests compare these figures with.
 */
#ifndef SUNDIALS4J_MEMORY_H
#define SUNDIALS4J_MEMORY_H

#include <malloc.h>
#include <stdlib.h>
#include <sundials/sundials_nvector.h>
#include <cvodes/cvodes.h>

/* Bytes of the heap chunk behind p as mallinfo2 counts it (0 for NULL). */
static inline long long s4j_chunk_bytes(void* p)
{
  return p == NULL ? 0 : (long long)(malloc_usable_size(p) + sizeof(size_t));
}

/* Bytes of the chunk glibc gives a request of `size` bytes, measured on a real allocation. */
static inline long long s4j_request_bytes(size_t size)
{
  void* p         = malloc(size);
  long long bytes = s4j_chunk_bytes(p);
  free(p);
  return bytes;
}

/* Heap bytes of one N_VClone of v: the vector object, its operations table, content and data. */
inline long long s4j_clone_bytes(N_Vector v)
{
  if (v == NULL) { return 0; }
  N_Vector c = N_VClone(v);
  if (c == NULL) { return -1; }
  long long bytes = s4j_chunk_bytes(c) + s4j_chunk_bytes(c->ops) + s4j_chunk_bytes(c->content) +
                    s4j_chunk_bytes(N_VGetArrayPointer(c));
  N_VDestroy(c);
  return bytes;
}

/*
 * Heap bytes CVODES' checkpoints hold after CVodeF stored `ncheck` of them: each record, and its
 * Nordsieck vectors like y: q+1 of them plus zn[qmax] when q < qmax (CVAckpntNew), and as many like
 * quad when the quadratures are carried (quad non-NULL: they are in the error test); the first
 * checkpoint, made at t0, holds zn[0], zn[1] and znQ[0] only (CVAckpntInit). -1 if the list cannot
 * be read. The list has ncheck + 1 entries (the first and one per stored checkpoint).
 */
inline long long s4j_checkpoint_bytes(void* cvode_mem, int ncheck, int qmax, N_Vector y, N_Vector quad)
{
  if (ncheck < 0) { return -1; }
  CVadjCheckPointRec* ck = (CVadjCheckPointRec*)calloc((size_t)ncheck + 2, sizeof(CVadjCheckPointRec));
  if (ck == NULL) { return -1; }
  if (CVodeGetAdjCheckPointsInfo(cvode_mem, ck) != CV_SUCCESS)
  {
    free(ck);
    return -1;
  }
  long long yBytes = s4j_clone_bytes(y), qBytes = s4j_clone_bytes(quad), total = 0;
  for (int i = 0; i < ncheck + 2 && ck[i].my_addr != NULL; i++)
  {
    int first   = ck[i].next_addr == NULL;
    int vectors = first ? 2 : ck[i].order + 1 + (ck[i].order < qmax ? 1 : 0);
    total += s4j_chunk_bytes(ck[i].my_addr) + vectors * yBytes + (first ? 1 : vectors) * qBytes;
  }
  free(ck);
  return yBytes < 0 || qBytes < 0 ? -1 : total;
}

/*
 * Heap bytes of the interpolation data points of CVodeAdjInit(steps, interpolation) once CVodeF has
 * run (no sensitivities stored): the array of steps + 1 record pointers, each record, its content
 * record and its vectors (y and yd for Hermite, y for polynomial), and the work vector ytmp.
 */
inline long long s4j_datapoint_bytes(long steps, int hermite, N_Vector y)
{
  long long yBytes = s4j_clone_bytes(y);
  if (yBytes < 0) { return -1; }
  long long content = hermite ? s4j_request_bytes(4 * sizeof(void*))
                              : s4j_request_bytes(2 * sizeof(void*) + sizeof(long));
  long long point   = s4j_request_bytes(sizeof(double) + sizeof(void*)) + content + (hermite ? 2 : 1) * yBytes;
  return s4j_request_bytes((size_t)(steps + 1) * sizeof(void*)) + (steps + 1) * point + yBytes;
}

/* Heap bytes in use, all arenas: glibc's mallinfo2 uordblks (small chunks) + hblkhd (mmapped). */
inline long long s4j_heap_in_use(void)
{
  struct mallinfo2 m = mallinfo2();
  return (long long)(m.uordblks + m.hblkhd);
}

#endif
