/**
 * The query service: search with fusion of vector and keyword rankings ({@code SearchService}), the
 * indexes it serves ({@code IndexCatalog}), its health ({@code ServiceHealth}), and its HTTP face
 * ({@code QueryServer}, {@code QueryApi} and the route groups), guarded by bearer tokens ({@code
 * ApiAuth}) and limited in how many searches run at once ({@code Admission}). Every failure leaves
 * as one of this package's exceptions, which {@code ErrorTable} turns into what a client sees.
 */
package dev.agentbrain.query;
