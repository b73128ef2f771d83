import { cva, type VariantProps } from 'class-variance-authority';
import type { ButtonHTMLAttributes } from 'react';
import { cn } from './cn';

// Variants live here, in one place (shadcn/ui-style): also for links and native form buttons styled as buttons.
export const buttonVariants = cva(
  [
    'inline-flex shrink-0 items-center justify-center font-medium whitespace-nowrap transition-colors select-none',
    'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-60',
  ],
  {
    variants: {
      variant: {
        primary: 'bg-accent text-white hover:bg-accent-strong disabled:bg-fg/20 disabled:text-fg/50',
        secondary: 'border border-line bg-surface text-fg hover:bg-muted',
        ghost: 'text-fg-soft hover:bg-muted hover:text-fg',
        danger: 'bg-red-600 text-white hover:bg-red-700',
      },
      size: {
        sm: 'h-8 gap-1.5 rounded-lg px-2.5 text-sm',
        md: 'h-9 gap-2 rounded-lg px-3.5 text-sm',
        icon: 'size-9 rounded-lg',
        'icon-sm': 'size-7 rounded-md',
      },
    },
    defaultVariants: { variant: 'secondary', size: 'md' },
  },
);

type Variants = VariantProps<typeof buttonVariants>;
export type ButtonVariant = NonNullable<Variants['variant']>;
export type ButtonSize = NonNullable<Variants['size']>;

/** The button classes for any element (a Link, a form's submit button); `className` wins on conflicts. */
export function buttonClass(variant?: ButtonVariant, size?: ButtonSize, className?: string): string {
  return cn(buttonVariants({ variant, size }), className);
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement>, Variants {}

export function Button({ variant, size, className, type = 'button', ...props }: ButtonProps) {
  return <button type={type} className={buttonClass(variant ?? undefined, size ?? undefined, className)} {...props} />;
}
