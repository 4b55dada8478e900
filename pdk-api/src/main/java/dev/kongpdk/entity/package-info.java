/**
 * Kong entities as the PDK returns them ({@code kong.router.get_route()}, {@code
 * kong.client.get_consumer()}, ...), as immutable records. Fields Kong may leave unset are {@code
 * Optional}; list and map fields are empty when unset; booleans and numbers with a Kong schema
 * default take that default when Kong left them out. Every record also keeps all fields exactly as
 * Kong sent them in {@code fields()}, including those this version of the kit does not model.
 */
package dev.kongpdk.entity;
