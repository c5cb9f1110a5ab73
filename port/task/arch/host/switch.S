/*
 * void host_switch(void **save_sp, void *load_sp)
 * Saves the System V callee-saved registers on the current stack, stores the stack
 * pointer in *save_sp, then loads load_sp and restores the registers found there.
 * Unlike swapcontext(), it leaves the signal mask alone: no syscall per switch.
 */
    .text
    .globl host_switch
    .type host_switch, @function
host_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size host_switch, .-host_switch
    .section .note.GNU-stack,"",@progbits
