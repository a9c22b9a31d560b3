/**
 * {@code bin/inr}: the headless command line. Each verb maps its options to the same task calls the
 * Fiji commands make.
 */
package sc.fiji.inr.cli;
