import { apiMemberKind, callApiMember } from 'managed-credentials';
import { closeManagedClient, managedClientState, type ApiMethod } from './client-state.js';
import type { ClientConstructor } from './options.js';

/**
 * The class a managed client is an instance of: a subclass of the client
 * class whose prototype holds a wrapper for each API method, so a call costs
 * one ordinary method lookup, as on a bare client — no Proxy in front of the
 * instance (a forwarding Proxy alone costs more per call than the rest of the
 * wrapper). Generated classes have thousands of methods; a wrapper is made on
 * a method's first read, by a Proxy that sits *behind* the subclass's
 * prototype: only a lookup that reaches it (a method read for the first time)
 * runs its trap, then finds the wrapper on the prototype.
 *
 * The client's methods run with `this` = the client, as on a bare one
 * (`#private` fields work). Their calls to each other while a request starts go
 * straight through (see `ManagedClientState.starting`). A method assigned to
 * one instance is its own property and is not wrapped.
 */
const managedClasses = new WeakMap<ClientConstructor, ClientConstructor>();

/** The managed subclass of `ClientClass`, made once per class. */
export function managedClassOf(ClientClass: ClientConstructor): ClientConstructor {
  let Managed = managedClasses.get(ClientClass);
  if (Managed === undefined) {
    Managed = defineManagedClass(ClientClass);
    managedClasses.set(ClientClass, Managed);
  }
  return Managed;
}

function defineManagedClass(ClientClass: ClientConstructor): ClientConstructor {
  const Managed = class extends (ClientClass as new (...args: unknown[]) => object) {};
  const prototype = Managed.prototype as Record<PropertyKey, unknown>;
  // As a bare client: `client.constructor` is the client class, `constructor.name` its name.
  Object.defineProperty(Managed, 'name', { value: ClientClass.name });
  defineMember(prototype, 'constructor', ClientClass);
  if (!('close' in ClientClass.prototype)) defineMember(prototype, 'close', closeManagedClient);
  const original = Object.create(ClientClass.prototype as object) as object;
  Object.setPrototypeOf(prototype, new Proxy(original, wrapOnFirstRead(prototype)));
  return Managed as unknown as ClientConstructor;
}

/**
 * The trap behind the managed prototype: a method read for the first time gets
 * its wrapper (an API method) or itself (any other function) defined on the
 * managed prototype, where every later read finds it.
 */
function wrapOnFirstRead(prototype: Record<PropertyKey, unknown>): ProxyHandler<object> {
  return {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || !isDataMember(target, key)) return value;
      const member =
        apiMemberKind(key, value) === 'plain'
          ? value
          : wrapperOf(prototype, key as string, value as ApiMethod);
      defineMember(prototype, key, member);
      return member;
    },
  };
}

/** Whether `key` is a data property on `object`'s prototype chain (an accessor's result must not be kept). */
function isDataMember(object: object, key: PropertyKey): boolean {
  for (let holder: object | null = object; holder !== null; holder = Reflect.getPrototypeOf(holder)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(holder, key);
    if (descriptor !== undefined) return 'value' in descriptor;
  }
  return false;
}

function defineMember(prototype: object, key: PropertyKey, value: unknown): void {
  // As class methods are: not enumerable, replaceable.
  Object.defineProperty(prototype, key, { value, writable: true, configurable: true, enumerable: false });
}

/**
 * The wrapper of API method `original` (or of a function that may be one: its first call decides, see
 * `apiMemberKind` in the core), a named function expression, so it keeps the method's name in stack
 * traces and `fn.name`.
 */
function wrapperOf(prototype: object, name: string, original: ApiMethod): ApiMethod {
  let isAsync = apiMemberKind(name, original) === 'async';
  return {
    [name](this: unknown, ...args: unknown[]): unknown {
      const state = managedClientState(this);
      // Not a new call: a method the SDK calls while starting one, or a method detached from its client.
      if (state === undefined || state.starting) return Reflect.apply(original, this, args);
      const client = this as object;
      if (isAsync) return state.call(client, original, args);
      const result = state.start(client, callApiMember, [
        original,
        client,
        args,
        (started: Promise<unknown> | undefined) => state.call(client, original, args, started),
      ]);
      const kind = apiMemberKind(name, original);
      isAsync = kind === 'async';
      // Not an API method after all: later reads find the method itself.
      if (kind === 'plain') defineMember(prototype, name, original);
      return result;
    },
  }[name] as ApiMethod;
}
