/*
 * The Java-facing half of the native tape replay (implemented in sundials4j_replay.h, which
 * sundials4j_glue.h includes): what JavaCPP binds. The solver (org.sundials4j.ode.NativeReplay)
 * uploads a recording once, hands in the parameters per run, lends the replay to its bridges and
 * reads the counters.
 */
#ifndef SUNDIALS4J_REPLAY_API_H
#define SUNDIALS4J_REPLAY_API_H

#include "sundials4j_glue.h"

typedef struct S4jReplay S4jReplay;

/* A replay for n states and np parameters (NULL when out of memory); s4j_replay_free frees it. */
S4jReplay* s4j_replay_new(int n, int np);
void s4j_replay_free(S4jReplay* r);
/* The model's program (inputs t, y, p; n outputs); 0, or -1 when refused (out of memory, invalid). */
int s4j_replay_model(S4jReplay* r, int inputs, int slots, int ninstr, const int* code, const double* cst, int aux_len,
                     const int* aux, int nout, const int* outputs, int nguard, const int* guards, const double* tmpl);
/* The integrand's program (inputs t, y, p; one output); 0 or -1. */
int s4j_replay_integrand(S4jReplay* r, int inputs, int slots, int ninstr, const int* code, const double* cst,
                         int aux_len, const int* aux, int nout, const int* outputs, int nguard, const int* guards,
                         const double* tmpl);
/* The run's integrand has no program here: the calls that need it go to Java. */
void s4j_replay_integrand_in_java(S4jReplay* r);
/* The structure of f_y and its colouring; 0 or -1. */
int s4j_replay_jacobian(S4jReplay* r, int nnz, const int* col_start, const int* row_index, const int* row_start,
                        const int* col_index, const int* csc_pos, int by_columns, int ngroups, const int* group_start,
                        const int* group_member);
/* Holds branch sides[k] of the model's switch k in every sweep (count 0: the selects compare); 0 or -1. */
int s4j_replay_branches(S4jReplay* r, int count, const int* sides);
int s4j_replay_sensitivities(S4jReplay* r, int ns, const int* sens_param);
int s4j_replay_adjoint(S4jReplay* r, int nsel, const int* sel_param);
void s4j_replay_parameters(S4jReplay* r, const double* p);
int s4j_replay_state(S4jReplay* r, double* out);
void s4j_replay_reset_counters(S4jReplay* r);
/* Compile uploaded programs to machine code (1, the default) or interpret them (0). */
void s4j_replay_use_jit(S4jReplay* r, int on);
/* 1 when every uploaded program runs as compiled code. */
int s4j_replay_jitted(S4jReplay* r);
/* One sweep of the model's program (or its Jacobian), compiled or interpreted (tests); 0 or -1. */
int s4j_replay_probe(S4jReplay* r, int sweep, int compiled, int flag, const double* x, const double* seed, double* out);
void s4j_bridge_set_replay(S4jBridge* b, S4jReplay* r);
void s4j_bridge_counts(S4jBridge* b, long long* out);
void s4j_bridge_reset_counts(S4jBridge* b);

#endif
