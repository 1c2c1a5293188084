/** What refused a whole form (an errno that no field owns), read out when it appears. */
export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p class="error" role="alert">
      {message}
    </p>
  );
}
