package org.callchain.phone.spi;

/**
 * Decides whether an incoming INVITE may ring. Called once per new call, before any 180 and after
 * the 100 Trying, on a worker thread (it may block briefly, for example on a cached registry
 * lookup). An exception counts as a rejection with 500.
 */
@FunctionalInterface
public interface AdmissionHook {

  AdmissionHook ACCEPT_ALL = invite -> AdmissionVerdict.accept("no admission policy");

  AdmissionVerdict admit(IncomingInvite invite);
}
