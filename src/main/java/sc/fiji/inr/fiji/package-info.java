/**
 * Fiji front end: SciJava commands under Plugins &gt; INR that parse a user's parameters, call one
 * task entry point and show or save its result, a live monitor for long fits, and a small bridge
 * that makes the commands callable from ImageJ 1 macros where imagej-legacy is absent.
 */
package sc.fiji.inr.fiji;
